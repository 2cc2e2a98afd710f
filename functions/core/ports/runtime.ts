// What every use case may lean on: the time and a log that never receives code values.

export interface Clock {
  now(): Date;
}

/** Structured log sink the core may use. Implementations must never receive code values. */
export interface CoreLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}
