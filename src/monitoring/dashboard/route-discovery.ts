import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';

const segments = (path: string): string[] => path.split('/').filter((part) => part.length > 0);
const asList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : ['']);

/**
 * Whether some controller in the app answers GET on `path` (no global prefix, no versioning).
 * The page asks before it calls an optional API, because a 404 shows as an error in the browser
 * console even when the page handles it.
 */
export function hasGetRoute(discovery: DiscoveryService, scanner: MetadataScanner, path: string): boolean {
  const wanted = segments(path).join('/');
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype;
    if (typeof type !== 'function') continue;
    const prototype: unknown = type.prototype;
    if (typeof prototype !== 'object' || prototype === null) continue;
    const prefixes = asList(Reflect.getMetadata(PATH_METADATA, type));
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler: unknown = Reflect.get(prototype, name);
      if (typeof handler !== 'function') continue;
      if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.GET) continue;
      const routes = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
      if (routes === undefined) continue;
      for (const prefix of prefixes) {
        for (const route of asList(routes)) {
          if ([...segments(prefix), ...segments(route)].join('/') === wanted) return true;
        }
      }
    }
  }
  return false;
}
