/**
 * Whole-value matching of the AWS model's validation patterns in linear time.
 *
 * V8's backtracking engine takes polynomial time on some of the model's patterns: a 12 KB
 * `EmailMessageByLink` (`X*\{##X*##\}X*`, where X also matches `{`, `#` and `}`) held the event loop
 * for about 19 s. Patterns that are one character class repeated (`[\S]+`, `^[\w\- ]+$`) are linear in
 * V8 too (one greedy run, then one step back per character, from one start) and stay there; every
 * other pattern runs on RE2 (re2-wasm), whose automaton never backtracks.
 *
 * The patterns mean what they meant under `new RegExp(source, 'u')`: each character class, class
 * escape and `.` is replaced by the explicit list of code points V8 matches for it (found by letting
 * V8 scan every code point once), and each literal by its code point, so RE2's own Unicode tables,
 * `\s` and `.` never decide anything.
 * Lone surrogates, which RE2 cannot see, are matched as U+E000 after checking that every atom of the
 * pattern treats the two alike.
 */
import { RE2 } from 're2-wasm';

/** A compiled pattern, tested against a whole value. */
export interface PatternMatcher {
  test(value: string): boolean;
}

/** What a lone surrogate is matched as; {@link compileLinearPattern} refuses a pattern that tells them apart. */
const STAND_IN = '\uE000';
const LONE_SURROGATES = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF'];
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATES_ALL = /\p{Cs}/gu;

/** A single character class (or class escape) repeated: linear in V8, see the module comment. */
const ONE_CLASS_RUN = /^\^?(?:\[(?:[^\\\]]|\\.)*\]|\\[dDwWsS]|\\[pP]\{[\w=]+\})[*+]\$?$/;

/**
 * Compiles a model pattern (ECMAScript syntax, matched against the whole value, flag `u`) for
 * linear-time matching, with exactly the matches `new RegExp(`^(?:${source})$`, 'u')` has.
 *
 * @param source the pattern as the model writes it (and as AWS's messages print it).
 * @param equivalent the same language written without lookaround, for a pattern RE2 cannot express.
 * @throws SyntaxError when the pattern uses what RE2 cannot run (lookaround, backreferences, word
 *   boundaries) and no equivalent is given, or treats a lone surrogate unlike U+E000.
 */
export function compileLinearPattern(source: string, equivalent?: string): PatternMatcher {
  const v8 = new RegExp(`^(?:${source})$`, 'u');
  if (equivalent === undefined && ONE_CLASS_RUN.test(source)) return v8;
  const body = equivalent ?? source;
  // The equivalent must itself be a valid pattern with the same flag.
  new RegExp(body, 'u');
  const re2 = new RE2(`^(?:${toRe2(body)})$`, 'u');
  return {
    test(value: string): boolean {
      return re2.test(LONE_SURROGATE.test(value) ? value.replace(LONE_SURROGATES_ALL, STAND_IN) : value);
    },
  };
}

/** Rewrites an ECMAScript `u` pattern for RE2, every atom as an explicit code point class. */
function toRe2(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (char === '[') {
      const end = classEnd(source, i);
      out += atom(source.slice(i, end));
      i = end;
    } else if (char === '\\') {
      const end = escapeEnd(source, i);
      const escape = source.slice(i, end);
      if (/^\\(?:[bBk1-9])/.test(escape)) throw new SyntaxError(`linear pattern: ${escape} has no linear-time form`);
      const literal = escapedCodePoint(escape);
      out += literal === undefined ? atom(escape) : codePoint(literal);
      i = end;
    } else if (char === '(') {
      const group = /^\((?:\?:|\?<[A-Za-z_$][\w$]*>)?/.exec(source.slice(i))![0];
      if (source.startsWith('(?', i) && group === '(') throw new SyntaxError('linear pattern: lookaround has no linear-time form');
      out += group;
      i += group.length;
    } else if (char === '{') {
      // In `u` mode a brace outside a class is always a quantifier, `{n}`, `{n,}` or `{n,m}`.
      const end = source.indexOf('}', i) + 1;
      out += source.slice(i, end);
      i = end;
    } else if (char === '.') {
      out += atom(char);
      i += 1;
    } else if (')|*+?^$'.includes(char)) {
      out += char;
      i += 1;
    } else {
      const literal = source.codePointAt(i)!;
      out += codePoint(literal);
      i += String.fromCodePoint(literal).length;
    }
  }
  return out;
}

/** The index after the `]` closing the class that opens at `start` (`u` mode: no nested classes). */
function classEnd(source: string, start: number): number {
  let i = source[start + 1] === '^' ? start + 2 : start + 1;
  while (i < source.length && source[i] !== ']') i = source[i] === '\\' ? escapeEnd(source, i) : i + 1;
  return i + 1;
}

/** The index after the escape that starts at `start` (`\p{..}`, `\u{..}`, `\xHH`, `\uHHHH` or one character). */
function escapeEnd(source: string, start: number): number {
  const rest = source.slice(start);
  const long = /^\\(?:[pPu]\{[^}]*\}|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|c[A-Za-z])/.exec(rest);
  if (long) return start + long[0].length;
  return start + 1 + String.fromCodePoint(source.codePointAt(start + 1)!).length;
}

const CONTROL_ESCAPES: Readonly<Record<string, number>> = { t: 0x09, n: 0x0a, v: 0x0b, f: 0x0c, r: 0x0d, '0': 0 };

/** The one code point a non-class escape stands for (`\{`, `\t`, `\x21`, `\u{1F600}`), or undefined for a class escape. */
function escapedCodePoint(escape: string): number | undefined {
  const hex = /^\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|u\{([0-9A-Fa-f]+)\})$/.exec(escape);
  if (hex) return parseInt(hex[1] ?? hex[2] ?? hex[3]!, 16);
  const name = escape.slice(1);
  if (Object.hasOwn(CONTROL_ESCAPES, name)) return CONTROL_ESCAPES[name];
  if (/^c[A-Za-z]$/.test(name)) return name.charCodeAt(1) % 32;
  // In `u` mode only syntax characters and `/` may be escaped to stand for themselves.
  if (/^[\^$\\.*+?()[\]{}|/-]$/.test(name)) return name.charCodeAt(0);
  return undefined;
}

/** A literal code point, as RE2 reads it; refuses U+E000, which stands in for lone surrogates. */
function codePoint(value: number): string {
  if (value === STAND_IN.codePointAt(0)) throw new SyntaxError('linear pattern: U+E000 stands in for lone surrogates');
  return `\\x{${value.toString(16)}}`;
}

const atoms = new Map<string, string>();

/** The RE2 class of exactly the code points V8 matches with `piece` (a class, a class escape or `.`). */
function atom(piece: string): string {
  let re2Class = atoms.get(piece);
  if (re2Class === undefined) {
    const one = new RegExp(`^(?:${piece})$`, 'u');
    if (LONE_SURROGATES.some((s) => one.test(s) !== one.test(STAND_IN))) {
      throw new SyntaxError(`linear pattern: ${piece} tells a lone surrogate from U+E000`);
    }
    const ranges = codePointRanges(piece);
    if (ranges === '') throw new SyntaxError(`linear pattern: ${piece} matches no code point`);
    re2Class = `[${ranges}]`;
    atoms.set(piece, re2Class);
  }
  return re2Class;
}

let scalarText: readonly string[] | undefined;
/**
 * Every Unicode scalar value in order, as two strings (below and above the surrogates), so that a
 * run of matches is a run of consecutive code points.
 */
function scalars(): readonly string[] {
  if (scalarText === undefined) {
    const low = new Uint16Array(0xd800);
    for (let cp = 0; cp < 0xd800; cp++) low[cp] = cp;
    const high = new Uint16Array(0x10000 - 0xe000 + (0x110000 - 0x10000) * 2);
    let j = 0;
    for (let cp = 0xe000; cp < 0x10000; cp++) high[j++] = cp;
    for (let cp = 0x10000; cp < 0x110000; cp++) {
      high[j++] = 0xd800 + ((cp - 0x10000) >> 10);
      high[j++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    }
    const decoder = new TextDecoder('utf-16le');
    scalarText = [decoder.decode(low), decoder.decode(high)];
  }
  return scalarText;
}

/** `\x{a}-\x{b}` ranges of the code points `piece` matches, as V8 decides them. */
function codePointRanges(piece: string): string {
  const runs = new RegExp(`(?:${piece})+`, 'gu');
  const ranges: string[] = [];
  for (const text of scalars()) {
    for (const match of text.matchAll(runs)) {
      const run = match[0];
      const first = run.codePointAt(0)!;
      const last = run.codePointAt(run.length - (run.length > 1 && /[\uDC00-\uDFFF]$/.test(run) ? 2 : 1))!;
      ranges.push(first === last ? `\\x{${first.toString(16)}}` : `\\x{${first.toString(16)}}-\\x{${last.toString(16)}}`);
    }
  }
  return ranges.join('');
}
