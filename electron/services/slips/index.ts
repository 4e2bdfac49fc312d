/** The slips capability's public face: the service, its handlers, and the one slip layout. */
export { createSlips, PREVIEW_TOKEN, type SlipsService, type SlipsDeps, type SlipCaller, type PrintedSlip } from './slips-service';
export { createSlipsHandlers, type SlipsHandlerDeps } from './handlers';
export { renderSlip, type SlipRaster, type SlipWidth } from './slip-layout';
export { buildSlipContent, type SlipContent } from './slip-content';
export { encodeRasterPng } from './raster-png';
export { registerSlipFonts, BUNDLED_FONTS_DIR } from './slip-fonts';
