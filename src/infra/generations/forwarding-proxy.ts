/**
 * An object that forwards every property access to whatever `resolve()` returns now, with
 * methods bound to it. Its prototype is the current target's, so `instanceof` tells what the
 * target really is (a Redis Cluster client is no standalone `Redis`). Nest awaits provider
 * values and so reads `then`: it must stay undefined.
 */
export function forwardingProxy<T extends object>(prototype: object, resolve: () => T): T {
  return new Proxy(Object.create(prototype) as T, {
    get(_target, property) {
      if (property === 'then') return undefined;
      const target = resolve();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
    set(_target, property, value) {
      return Reflect.set(resolve(), property, value);
    },
    has(_target, property) {
      return Reflect.has(resolve(), property);
    },
    getPrototypeOf() {
      return Reflect.getPrototypeOf(resolve());
    },
  });
}
