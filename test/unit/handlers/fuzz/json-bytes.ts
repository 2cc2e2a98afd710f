// JSON bodies as exact bytes. JSON.stringify normalises what the fuzz needs to send as is: number
// literals (`1.0`, `1e3`, `-0`), bytes that are not UTF-8, and nesting deeper than its own stack.

/** A fragment written into the body byte for byte, wherever a JSON value may stand. */
export class RawJson {
  constructor(readonly bytes: Buffer) {}

  /** A literal as written: `RawJson.text('1.0')`. */
  static text(text: string): RawJson {
    return new RawJson(Buffer.from(text, 'utf8'));
  }

  /** A string literal whose content mixes text (escaped as JSON) and raw bytes (written unchanged). */
  static string(parts: ReadonlyArray<string | Buffer>): RawJson {
    const inner = parts.map((p) => (typeof p === 'string' ? Buffer.from(JSON.stringify(p).slice(1, -1), 'utf8') : p));
    return new RawJson(Buffer.concat([Buffer.from('"'), ...inner, Buffer.from('"')]));
  }

  /** `depth` arrays (or one-key objects) inside each other around `core`: built flat, so any depth fits. */
  static nested(depth: number, kind: 'array' | 'object', core = '1'): RawJson {
    const [open, close] = kind === 'array' ? ['[', ']'] : ['{"a":', '}'];
    return RawJson.text(`${open.repeat(depth)}${core}${close.repeat(depth)}`);
  }
}

/** Serialised body options: `asciiOnly` writes every non-ASCII character as a `\uXXXX` escape. */
export interface JsonBytesOptions {
  asciiOnly?: boolean;
}

const escapeNonAscii = (json: string): string =>
  // Non-ASCII only ever occurs inside string literals of JSON.stringify's output, so this cannot break a token.
  json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The bytes of `value` as JSON; `undefined` members are left out, as JSON.stringify does. */
export function jsonBytes(value: unknown, options: JsonBytesOptions = {}): Buffer {
  const chunks: Buffer[] = [];
  // Text is gathered as one string between raw fragments: a Buffer per token would dominate the run time.
  let pending = '';
  const text = (s: string) => {
    pending += s;
  };
  const flush = () => {
    if (pending !== '') chunks.push(Buffer.from(options.asciiOnly ? escapeNonAscii(pending) : pending, 'utf8'));
    pending = '';
  };
  const write = (v: unknown): void => {
    if (v instanceof RawJson) {
      flush();
      chunks.push(v.bytes);
    } else if (Array.isArray(v)) {
      text('[');
      v.forEach((item, i) => {
        if (i > 0) text(',');
        write(item === undefined ? null : item);
      });
      text(']');
    } else if (typeof v === 'object' && v !== null) {
      text('{');
      let first = true;
      for (const [key, item] of Object.entries(v)) {
        if (item === undefined) continue;
        text(`${first ? '' : ','}${JSON.stringify(key)}:`);
        first = false;
        write(item);
      }
      text('}');
    } else {
      text(JSON.stringify(v) ?? 'null');
    }
  };
  write(value);
  flush();
  return Buffer.concat(chunks);
}
