// The store platforms StreamSync takes orders from. Adding one: a folder exporting its module, and a line here.
import { salla } from './salla';
import { zid } from './zid';

export const PLATFORMS = [salla, zid] as const;

export type PlatformName = (typeof PLATFORMS)[number]['name'];

/** Narrows a route segment to a platform we serve. */
export const isPlatform = (value: unknown): value is PlatformName => PLATFORMS.some((p) => p.name === value);
