/**
 * A small syntax highlighter for the file view: C and C++ (comments, strings, character
 * literals, numbers, keywords, preprocessor directives) and GNU as sources, .S and .s
 * (comments, directives, registers, labels, mnemonics). It works a line at a time, so the
 * view only tokenizes the rows it renders; the one thing carried from line to line (inside a
 * block comment, or a preprocessor line continued with a backslash) is found by a quick scan
 * without making tokens. Tokens are plain text: concatenated, they give back the line.
 */

export type Lang = 'c' | 'cpp' | 'asm' | 'none';

export type TokenKind =
  | 'plain'
  | 'comment'
  | 'string'
  | 'char'
  | 'number'
  | 'keyword'
  | 'preprocessor'
  | 'directive'
  | 'register'
  | 'label';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

/** Line-start state bits. */
const IN_COMMENT = 1;
const CONTINUED = 2;

const C_KEYWORDS = new Set(
  (
    'auto break case char const continue default do double else enum extern float for goto if inline int long ' +
    'register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while ' +
    '_Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local ' +
    'alignas alignof bool constexpr false nullptr static_assert thread_local true typeof typeof_unqual ' +
    '__asm__ __asm asm __attribute__ __attribute __inline__ __inline __volatile__ __typeof__ __extension__ ' +
    '__restrict __restrict__ __builtin_expect __label__'
  ).split(' '),
);

const CPP_KEYWORDS = new Set([
  ...C_KEYWORDS,
  ...(
    'and and_eq bitand bitor catch char8_t char16_t char32_t class co_await co_return co_yield compl concept ' +
    'const_cast consteval constinit decltype delete dynamic_cast explicit export friend mutable namespace new ' +
    'noexcept not not_eq operator or or_eq private protected public reinterpret_cast requires static_cast ' +
    'template this throw try typeid typename using virtual wchar_t xor xor_eq override final'
  ).split(' '),
]);

/** Directives cpp handles in a .S file (otherwise a `#` starts a comment there). */
const CPP_DIRECTIVES = new Set(
  'include include_next define undef if ifdef ifndef elif elifdef elifndef else endif error warning pragma line'.split(
    ' ',
  ),
);

/** Register names of the targets hvcov knows (x86, arm, aarch64, powerpc, s390x), without `%`. */
const REGISTER =
  /^(?:[re]?[abcd]x|[abcd][lh]|[re]?(?:si|di|bp|sp|ip)|r(?:[89]|1[0-5])[dwb]?|[xyz]mm\d{1,2}|[cdefgs]s|cr\d|[xw](?:[12]?\d|3[01])|[xw]zr|w?sp|[qdsbhv]\d{1,2}|r\d{1,2}|sp|lr|pc|fp|ip|cpsr|spsr|f\d{1,2}|ctr|xer|cr\d?)$/i;

export function languageOf(path: string): Lang {
  const ext = /\.([^./]+)$/.exec(path)?.[1] ?? '';
  if (ext === 'c' || ext === 'h') return 'c';
  if (/^(?:cc|cpp|cxx|c\+\+|hh|hpp|hxx|h\+\+|ipp|tcc|inl|C|H)$/.test(ext)) return 'cpp';
  if (ext === 'S' || ext === 's' || ext === 'asm' || ext === 'sx') return 'asm';
  return 'none';
}

const isIdentStart = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c > 127;
const isIdent = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 12 || c === 11 || c === 13;

/** End of a quoted literal starting at `from` (the quote), past the closing quote or at the line's end. */
function quoteEnd(line: string, from: number): number {
  const q = line.charCodeAt(from);
  let i = from + 1;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === q) return i + 1;
    else i++;
  }
  return line.length;
}

/** End of a number starting at `from`: digits, letters, dots, digit separators, exponent signs. */
function numberEnd(line: string, from: number): number {
  let i = from;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (isIdent(c) || c === 46) i++;
    else if (c === 39 && i + 1 < line.length && isIdent(line.charCodeAt(i + 1))) i++;
    else if (
      (c === 43 || c === 45) &&
      /[eEpP]/.test(line[i - 1]!) &&
      !/^0[xX][0-9a-fA-F]*[eE]$/.test(line.slice(from, i))
    )
      i++;
    else break;
  }
  return i;
}

const endsContinued = (line: string): boolean => /\\\s*$/.test(line);

class Out {
  readonly tokens: Token[] = [];
  push(kind: TokenKind, text: string): void {
    if (text === '') return;
    const last = this.tokens[this.tokens.length - 1];
    if (last && last.kind === kind && kind === 'plain')
      this.tokens[this.tokens.length - 1] = { kind, text: last.text + text };
    else this.tokens.push({ kind, text });
  }
}

/** Inside a block comment from `from`: pushes the comment, returns where it ended (-1: still open). */
function blockComment(line: string, from: number, out: Out): number {
  const end = line.indexOf('*/', from);
  if (end < 0) {
    out.push('comment', line.slice(from));
    return -1;
  }
  out.push('comment', line.slice(from, end + 2));
  return end + 2;
}

function tokenizeC(
  line: string,
  state: number,
  keywords: ReadonlySet<string>,
): { tokens: Token[]; state: number } {
  const out = new Out();
  let i = 0;
  if (state & IN_COMMENT) {
    i = blockComment(line, 0, out);
    if (i < 0) return { tokens: out.tokens, state: IN_COMMENT | (state & CONTINUED) };
  }
  let preprocessor = (state & CONTINUED) !== 0;
  let include = false;
  // a directive: `#`, spaces, a name
  const lead = /^(\s*)(#\s*[A-Za-z_]\w*|#)/.exec(line.slice(i));
  if (!preprocessor && i === 0 && lead) {
    out.push('plain', lead[1]!);
    out.push('preprocessor', lead[2]!);
    include = /^#\s*include/.test(lead[2]!);
    preprocessor = true;
    i = lead[0].length;
  }
  let plain = i;
  const flush = (to: number) => {
    out.push('plain', line.slice(plain, to));
  };
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 47 && line.charCodeAt(i + 1) === 47) {
      flush(i);
      out.push('comment', line.slice(i));
      plain = line.length;
      break;
    }
    if (c === 47 && line.charCodeAt(i + 1) === 42) {
      flush(i);
      const end = blockComment(line, i, out);
      if (end < 0)
        return {
          tokens: out.tokens,
          state: IN_COMMENT | (preprocessor && endsContinued(line) ? CONTINUED : 0),
        };
      i = plain = end;
      continue;
    }
    if (c === 34 || (include && c === 60)) {
      flush(i);
      const end = c === 60 ? line.indexOf('>', i) + 1 || line.length : quoteEnd(line, i);
      out.push('string', line.slice(i, end));
      i = plain = end;
      continue;
    }
    if (c === 39) {
      flush(i);
      const end = quoteEnd(line, i);
      out.push('char', line.slice(i, end));
      i = plain = end;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(line.charCodeAt(i + 1)))) {
      flush(i);
      const end = numberEnd(line, i);
      out.push('number', line.slice(i, end));
      i = plain = end;
      continue;
    }
    if (isIdentStart(c)) {
      let end = i + 1;
      while (end < line.length && isIdent(line.charCodeAt(end))) end++;
      const word = line.slice(i, end);
      const q = line.charCodeAt(end);
      if ((q === 34 || q === 39) && /^(?:L|u|U|u8|R|LR|uR|UR|u8R)$/.test(word)) {
        // an encoding prefix belongs to its literal
        flush(i);
        const close = quoteEnd(line, end);
        out.push(q === 34 ? 'string' : 'char', line.slice(i, close));
        i = plain = close;
        continue;
      }
      if (keywords.has(word)) {
        flush(i);
        out.push('keyword', word);
        plain = end;
      }
      i = end;
      continue;
    }
    i++;
  }
  flush(line.length);
  return { tokens: out.tokens, state: preprocessor && endsContinued(line) ? CONTINUED : 0 };
}

function tokenizeAsm(line: string, state: number): { tokens: Token[]; state: number } {
  const out = new Out();
  let i = 0;
  if (state & IN_COMMENT) {
    i = blockComment(line, 0, out);
    if (i < 0) return { tokens: out.tokens, state: IN_COMMENT };
  }
  // a cpp directive (a .S file goes through cpp), or a `#` comment at the start
  const lead = /^(\s*)#\s*([A-Za-z_]\w*)?/.exec(line.slice(i));
  if (i === 0 && !(state & CONTINUED) && lead) {
    if (lead[2] !== undefined && CPP_DIRECTIVES.has(lead[2])) return tokenizeC(line, 0, C_KEYWORDS);
    out.push('plain', lead[1]!);
    out.push('comment', line.slice(lead[1]!.length));
    return { tokens: out.tokens, state: 0 };
  }
  if (state & CONTINUED) {
    const r = tokenizeC(line, CONTINUED, C_KEYWORDS);
    return r;
  }
  /** At the start of a statement: a label or a directive or a mnemonic may come. */
  let statement = true;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (isSpace(c)) {
      let end = i + 1;
      while (end < line.length && isSpace(line.charCodeAt(end))) end++;
      out.push('plain', line.slice(i, end));
      i = end;
      continue;
    }
    if ((c === 47 && line.charCodeAt(i + 1) === 47) || (c === 35 && isSpace(line.charCodeAt(i + 1)))) {
      out.push('comment', line.slice(i));
      break;
    }
    if (c === 47 && line.charCodeAt(i + 1) === 42) {
      const end = blockComment(line, i, out);
      if (end < 0) return { tokens: out.tokens, state: IN_COMMENT };
      i = end;
      continue;
    }
    if (c === 59) {
      // a statement separator
      out.push('plain', ';');
      i++;
      statement = true;
      continue;
    }
    if (c === 34 || c === 39) {
      const end = c === 39 ? Math.min(line.length, i + 2) : quoteEnd(line, i);
      out.push(c === 34 ? 'string' : 'char', line.slice(i, end));
      i = end;
      statement = false;
      continue;
    }
    if (c === 37 && isIdentStart(line.charCodeAt(i + 1))) {
      let end = i + 2;
      while (end < line.length && isIdent(line.charCodeAt(end))) end++;
      out.push('register', line.slice(i, end));
      i = end;
      statement = false;
      continue;
    }
    if ((c === 36 || c === 35) && (isDigit(line.charCodeAt(i + 1)) || line.charCodeAt(i + 1) === 45)) {
      // an immediate: $1, #-4
      const end = numberEnd(line, i + (line.charCodeAt(i + 1) === 45 ? 2 : 1));
      out.push('number', line.slice(i, end));
      i = end;
      statement = false;
      continue;
    }
    if (isDigit(c)) {
      const end = numberEnd(line, i);
      if (statement && line.charCodeAt(end) === 58) {
        out.push('label', line.slice(i, end + 1));
        i = end + 1;
        continue;
      }
      out.push('number', line.slice(i, end));
      i = end;
      statement = false;
      continue;
    }
    if (isIdentStart(c) || c === 46) {
      let end = i + 1;
      while (end < line.length && (isIdent(line.charCodeAt(end)) || line.charCodeAt(end) === 46)) end++;
      const word = line.slice(i, end);
      if (statement && line.charCodeAt(end) === 58) {
        out.push('label', line.slice(i, end + 1));
        i = end + 1;
        continue;
      }
      if (statement) out.push(c === 46 ? 'directive' : 'keyword', word);
      else out.push(REGISTER.test(word) ? 'register' : 'plain', word);
      statement = false;
      i = end;
      continue;
    }
    out.push('plain', line[i]!);
    i++;
  }
  return { tokens: out.tokens, state: 0 };
}

/** The tokens of one line given the state at its start, and the state at the next line's start. */
export function tokenizeLine(line: string, lang: Lang, state = 0): { tokens: Token[]; state: number } {
  if (lang === 'none') return { tokens: line ? [{ kind: 'plain', text: line }] : [], state: 0 };
  if (lang === 'asm') return tokenizeAsm(line, state);
  return tokenizeC(line, state, lang === 'cpp' ? CPP_KEYWORDS : C_KEYWORDS);
}

/**
 * The state at the next line's start, found without making tokens. It follows comments,
 * literals and continued directives the way tokenizeLine does.
 */
export function nextState(line: string, lang: Lang, state: number): number {
  if (lang === 'none') return 0;
  let i = 0;
  if (state & IN_COMMENT) {
    const end = line.indexOf('*/');
    if (end < 0) return state;
    i = end + 2;
  }
  const lead = /^\s*#\s*([A-Za-z_]\w*)?/.exec(line);
  let preprocessor = (state & CONTINUED) !== 0;
  if (!(state & IN_COMMENT) && !preprocessor && lead) {
    if (lang === 'asm' && !(lead[1] !== undefined && CPP_DIRECTIVES.has(lead[1]))) return 0;
    preprocessor = true;
  }
  const asm = lang === 'asm' && !preprocessor;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 47) {
      const d = line.charCodeAt(i + 1);
      if (d === 47) break;
      if (d === 42) {
        const end = line.indexOf('*/', i + 2);
        if (end < 0) return IN_COMMENT | (preprocessor && endsContinued(line) ? CONTINUED : 0);
        i = end + 1;
      }
    } else if (c === 34) i = quoteEnd(line, i) - 1;
    else if (c === 39) {
      if (asm) i++;
      else if (!(i > 0 && isIdent(line.charCodeAt(i - 1)) && isDigit(line.charCodeAt(i + 1))))
        i = quoteEnd(line, i) - 1;
    } else if (asm && c === 35 && isSpace(line.charCodeAt(i + 1))) break;
  }
  return preprocessor && endsContinued(line) ? CONTINUED : 0;
}

/**
 * Tokens of a file's lines on demand, each line tokenized once; the line-start states are
 * found as far as the furthest line asked for.
 */
export class Highlighter {
  private readonly states: Uint8Array;
  private known = 1;
  private readonly cache = new Map<number, Token[]>();
  constructor(
    private readonly lines: readonly string[],
    readonly lang: Lang,
  ) {
    this.states = new Uint8Array(lines.length + 1);
  }
  /** Tokens of line index i (0-based). */
  tokens(i: number): Token[] {
    let t = this.cache.get(i);
    if (t) return t;
    const line = this.lines[i] ?? '';
    if (this.lang === 'none') t = line ? [{ kind: 'plain', text: line }] : [];
    else {
      for (; this.known <= i; this.known++)
        this.states[this.known] = nextState(
          this.lines[this.known - 1]!,
          this.lang,
          this.states[this.known - 1]!,
        );
      t = tokenizeLine(line, this.lang, this.states[i]).tokens;
    }
    this.cache.set(i, t);
    return t;
  }
}
