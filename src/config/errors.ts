/** A setting that cannot be used, named with where it came from (a variable or `file: key`). */
export class ConfigError extends Error {}
