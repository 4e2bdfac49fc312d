/** The PACS as the desk sees it: one interface by role, one DICOMweb implementation. */
export {
  LocalFileError,
  PacsRequestError,
  type ErrorInfo,
  type InstanceOutcome,
  type PacsClient,
  type PacsClientFactory,
  type PacsSettings,
  type StowItem,
  type StowResult,
} from './pacs-client';
export { DicomwebPacsClient, createDicomwebPacsClient, displayUrl } from './dicomweb-pacs-client';
export { failureDetail, failureIsRetryable } from './stow-response';
