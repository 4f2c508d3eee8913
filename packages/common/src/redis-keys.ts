// Every Redis key and channel the services name goes through here, prefixed by the environment's namespace
// (REDIS_NAMESPACE; default `watchflixx`, so the default names stay `watchflixx:events:<aggregate>`,
// `watchflixx:relayed:<id>`, ...). Two environments sharing one Redis then never see each other's events,
// relay dedupe keys, pub/sub messages or counters.
//
// The process's namespace is set once at start-up from its configuration (loadConfigOrExit); code that runs
// several environments in one process (tests) passes a namespace explicitly with redisKeyIn.

export const DEFAULT_REDIS_NAMESPACE = "watchflixx";
/** What a namespace may contain: it becomes the first segment of every key (`<namespace>:events:user`). */
export const REDIS_NAMESPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

let processNamespace = DEFAULT_REDIS_NAMESPACE;

/** Sets this process's namespace (start-up only). */
export function useRedisNamespace(namespace: string): void {
  if (!REDIS_NAMESPACE_PATTERN.test(namespace)) throw new Error(`invalid Redis namespace "${namespace}"`);
  processNamespace = namespace;
}

/** This process's namespace. */
export function redisNamespace(): string {
  return processNamespace;
}

/** `<namespace>:<part>:<part>...` in the given namespace. */
export function redisKeyIn(namespace: string, ...parts: (string | number | bigint)[]): string {
  return [namespace, ...parts].join(":");
}

/** `<namespace>:<part>:<part>...` in this process's namespace, e.g. redisKey("events", "user"). */
export function redisKey(...parts: (string | number | bigint)[]): string {
  return redisKeyIn(processNamespace, ...parts);
}
