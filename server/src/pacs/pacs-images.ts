/**
 * What the result page needs from the PACS, by role: the instances of a study, a rendered JPEG of
 * one, and the whole study as DICOM. Implemented over DICOMweb (dicomweb-image-source.ts).
 */
export interface StudyImage {
  readonly studyUID: string;
  readonly seriesUID: string;
  readonly instanceUID: string;
  readonly seriesNumber: number;
  readonly instanceNumber: number;
}

export interface RenderedImage {
  readonly bytes: Buffer;
  readonly contentType: string;
}

export interface StudyStream {
  readonly boundary: string;
  readonly body: AsyncIterable<Uint8Array>;
}

export interface PacsImageSource {
  /** The study's displayable instances, in series then instance order; [] when the PACS has none yet. */
  listImages(studyUID: string): Promise<StudyImage[]>;
  /** A JPEG rendered by the PACS, scaled to fit `viewport` pixels when given. */
  rendered(image: StudyImage, viewport: number | null): Promise<RenderedImage>;
  /** The study's instances as they are stored, as a multipart stream. */
  retrieveStudy(studyUID: string): Promise<StudyStream>;
}

/** A PACS failure, described without URLs or UIDs (they stay out of logs). */
export class PacsError extends Error {
  constructor(
    readonly reason: 'unreachable' | 'timeout' | 'status' | 'not-configured',
    readonly status: number | null = null,
  ) {
    super(`PACS ${reason}${status !== null ? ` ${status}` : ''}`);
    this.name = 'PacsError';
  }
}
