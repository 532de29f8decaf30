// Imported by main.ts right after the Node version check, before any dependency loads.
import { applicationResolutionCache } from './module-resolutions';

export const startupResolutions = applicationResolutionCache(__dirname);
