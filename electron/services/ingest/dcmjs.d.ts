/**
 * The slice of dcmjs 0.52 the desk uses (the package ships no type declarations). Kept minimal
 * on purpose: a value read from a DICOM header is `unknown` until a caller checks it.
 */
declare module 'dcmjs' {
  export interface DicomDictElement {
    vr: string;
    Value?: unknown[];
    InlineBinary?: string;
  }
  export type DicomDict = Record<string, DicomDictElement>;

  export interface ReadOptions {
    ignoreErrors?: boolean;
    untilTag?: string;
    includeUntilTagValue?: boolean;
    noCopy?: boolean;
    forceStoreRaw?: boolean;
  }

  export class DicomMessage {
    static readFile(buffer: ArrayBuffer, options?: ReadOptions): { meta: DicomDict; dict: DicomDict };
  }

  export class DicomMetaDictionary {
    static naturalizeDataset(dict: DicomDict): Record<string, unknown>;
    static punctuateTag(rawTag: string): string;
  }

  export const data: {
    DicomMessage: typeof DicomMessage;
    DicomMetaDictionary: typeof DicomMetaDictionary;
  };

  export const log: {
    setLevel(level: string | number): void;
    getLogger?(name: string): { setLevel(level: string | number): void };
  };

  const dcmjs: { data: typeof data; log: typeof log };
  export default dcmjs;
}
