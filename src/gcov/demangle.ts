/**
 * Itanium C++ ABI demangler, written from the mangling grammar
 * (https://itanium-cxx-abi.github.io/cxx-abi/abi.html#mangling) to print names the way
 * GNU tools do.
 *
 * Two GNU outputs differ in one point: gcov's JSON `demangled_name` spells the standard
 * abbreviations short (`std::string`, `std::istream`, ...), while `c++filt` asks for the
 * verbose form (`std::basic_string<char, std::char_traits<char>, std::allocator<char> >`).
 * The default is gcov's; `{ verbose: true }` gives c++filt's.
 *
 * Returns undefined for names that are not mangled (C names: gcov prints them as they are)
 * and for constructs this demangler does not know, never a guess. Hostile input is bounded:
 * nesting depth, printed length and printing work are limited, and every failure is a
 * thrown private error turned into undefined.
 */

export interface DemangleOptions {
  /** c++filt's spelling of std:: abbreviations (default false: gcov's). */
  verbose?: boolean;
  /**
   * The demangler of GCC 10 and before (its gcov's) also made a closure type (`Ul…E_`) a
   * substitution of its own, as it does an unnamed type: later S<n>_ then count one more,
   * and one of them names the bare `{lambda(…)#1}` where today's demangler names the whole
   * local name (default false: GCC 11 and later).
   */
  closureSubstitution?: boolean;
}

class Fail extends Error {}
const fail = (): never => {
  throw new Fail('cannot demangle');
};

const MAX_DEPTH = 256;
const MAX_OUT = 1 << 20;
const MAX_STEPS = 1 << 21;

type Node =
  | { k: 'name'; s: string; last?: string }
  | { k: 'qual'; scope: Node; name: Node }
  | { k: 'tmpl'; name: Node; args: Node[] }
  | { k: 'tag'; name: Node; tag: string }
  | { k: 'ctor'; name: string; dtor: boolean }
  | { k: 'op'; sym: string }
  | { k: 'conv'; type: Node }
  | { k: 'lambda'; params: Node[]; num: number }
  | { k: 'unnamed'; num: number }
  | { k: 'local'; enc: Node; entity: Node }
  | { k: 'ptr'; inner: Node; sym: '*' | '&' | '&&' }
  | { k: 'cv'; inner: Node; q: string }
  | { k: 'fn'; ret: Node; params: Node[]; q: string; ref: string; ex: string }
  | { k: 'arr'; dim: Node | string; inner: Node }
  | { k: 'memptr'; cls: Node; inner: Node }
  | { k: 'post'; inner: Node; s: string }
  | { k: 'tparam'; idx: number }
  | { k: 'pack'; args: Node[] }
  | { k: 'expand'; inner: Node }
  | { k: 'decltype'; e: Node }
  | { k: 'enc'; name: Node; fn: Extract<Node, { k: 'fn' }> | null; q: string; ref: string }
  | { k: 'special'; s: string; inner: Node }
  | { k: 'ctorvt'; a: Node; b: Node }
  | { k: 'clone'; inner: Node; s: string }
  | { k: 'defarg'; enc: Node; num: number; entity: Node }
  // expressions
  | { k: 'lit'; type: Node; v: string }
  | { k: 'litbool'; v: boolean }
  | { k: 'litint'; v: string; suffix: string }
  | { k: 'unary'; op: string; e: Node }
  | { k: 'postfix'; op: string; e: Node }
  | { k: 'binary'; op: string; l: Node; r: Node }
  | { k: 'member'; op: string; l: Node; r: Node }
  | { k: 'index'; l: Node; r: Node }
  | { k: 'quest'; c: Node; a: Node; b: Node }
  | { k: 'call'; fn: Node; args: Node[] }
  | { k: 'cast'; type: Node; args: Node[]; list: boolean }
  | { k: 'namedcast'; kind: string; type: Node; e: Node }
  | { k: 'sizeoftype'; kw: string; type: Node }
  | { k: 'sizeofexpr'; kw: string; e: Node }
  | { k: 'sizeofpack'; e: Node }
  | { k: 'fparam'; n: number }
  | { k: 'braced'; type: Node | null; args: Node[] }
  | { k: 'new'; global: boolean; arr: boolean; place: Node[]; type: Node; init: Node[] | null }
  | { k: 'delete'; global: boolean; arr: boolean; e: Node }
  | { k: 'throw'; e: Node | null }
  | { k: 'fold'; op: string; kind: string; a: Node; b: Node | null }
  | { k: 'exprpack'; e: Node }
  | { k: 'scoped'; scope: Node; name: Node };

type Fn = Extract<Node, { k: 'fn' }>;

/** Operators: code -> [printed symbol, arity] */
const OPS: Record<string, [string, number]> = {
  nw: ['new', 3],
  na: ['new[]', 3],
  dl: ['delete', 1],
  da: ['delete[]', 1],
  ps: ['+', 1],
  ng: ['-', 1],
  ad: ['&', 1],
  de: ['*', 1],
  co: ['~', 1],
  pl: ['+', 2],
  mi: ['-', 2],
  ml: ['*', 2],
  dv: ['/', 2],
  rm: ['%', 2],
  an: ['&', 2],
  or: ['|', 2],
  eo: ['^', 2],
  aS: ['=', 2],
  pL: ['+=', 2],
  mI: ['-=', 2],
  mL: ['*=', 2],
  dV: ['/=', 2],
  rM: ['%=', 2],
  aN: ['&=', 2],
  oR: ['|=', 2],
  eO: ['^=', 2],
  ls: ['<<', 2],
  rs: ['>>', 2],
  lS: ['<<=', 2],
  rS: ['>>=', 2],
  eq: ['==', 2],
  ne: ['!=', 2],
  lt: ['<', 2],
  gt: ['>', 2],
  le: ['<=', 2],
  ge: ['>=', 2],
  ss: ['<=>', 2],
  nt: ['!', 1],
  aa: ['&&', 2],
  oo: ['||', 2],
  pp: ['++', 1],
  mm: ['--', 1],
  cm: [',', 2],
  pm: ['->*', 2],
  pt: ['->', 2],
  cl: ['()', 2],
  ix: ['[]', 2],
  qu: ['?', 3],
  st: ['sizeof ', 1],
  sz: ['sizeof ', 1],
  at: ['alignof ', 1],
  az: ['alignof ', 1],
  dt: ['.', 2],
  ds: ['.*', 2],
};

const BUILTIN: Record<string, string> = {
  v: 'void',
  w: 'wchar_t',
  b: 'bool',
  c: 'char',
  a: 'signed char',
  h: 'unsigned char',
  s: 'short',
  t: 'unsigned short',
  i: 'int',
  j: 'unsigned int',
  l: 'long',
  m: 'unsigned long',
  x: 'long long',
  y: 'unsigned long long',
  n: '__int128',
  o: 'unsigned __int128',
  f: 'float',
  d: 'double',
  e: 'long double',
  g: '__float128',
  z: '...',
};

const DBUILTIN: Record<string, string> = {
  d: 'decimal64',
  e: 'decimal128',
  f: 'decimal32',
  h: 'half',
  i: 'char32_t',
  s: 'char16_t',
  u: 'char8_t',
  a: 'auto',
  c: 'decltype(auto)',
  n: 'decltype(nullptr)',
};

/** Integer literal suffixes by type code; other types print as `(type)value`. */
const INT_SUFFIX: Record<string, string> = { i: '', j: 'u', l: 'l', m: 'ul', x: 'll', y: 'ull' };

const STD_SUBS: Record<string, [string, string, string]> = {
  a: ['std::allocator', 'std::allocator', 'allocator'],
  b: ['std::basic_string', 'std::basic_string', 'basic_string'],
  s: [
    'std::string',
    'std::basic_string<char, std::char_traits<char>, std::allocator<char> >',
    'basic_string',
  ],
  i: ['std::istream', 'std::basic_istream<char, std::char_traits<char> >', 'basic_istream'],
  o: ['std::ostream', 'std::basic_ostream<char, std::char_traits<char> >', 'basic_ostream'],
  d: ['std::iostream', 'std::basic_iostream<char, std::char_traits<char> >', 'basic_iostream'],
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';

interface NameInfo {
  node: Node;
  q: string;
  ref: string;
}

class Parser {
  pos = 0;
  subs: Node[] = [];
  depth = 0;
  /** The last <source-name> read outside template arguments: what a constructor is called. */
  lastName = '';
  constructor(
    readonly s: string,
    readonly verbose: boolean,
    readonly closureSubstitution: boolean,
  ) {}

  peek(o = 0): string | undefined {
    return this.s[this.pos + o];
  }
  eat(c: string): boolean {
    if (this.s.startsWith(c, this.pos)) {
      this.pos += c.length;
      return true;
    }
    return false;
  }
  need(c: string): void {
    if (!this.eat(c)) fail();
  }
  enter(): void {
    if (++this.depth > MAX_DEPTH) fail();
  }

  /** <number> ::= [n] <decimal> (no digits: fail) */
  number(): number {
    const neg = this.eat('n');
    const start = this.pos;
    while (isDigit(this.peek())) this.pos++;
    if (this.pos === start || this.pos - start > 9) fail();
    const v = Number(this.s.slice(start, this.pos));
    return neg ? -v : v;
  }
  /** Decimal digits, possibly none (0). */
  optNumber(): number {
    const start = this.pos;
    while (isDigit(this.peek())) this.pos++;
    if (this.pos - start > 9) fail();
    return this.pos === start ? 0 : Number(this.s.slice(start, this.pos));
  }
  /** [<number>] _ : absent -> 0, n -> n+1 */
  seqUnderscore(): number {
    if (this.eat('_')) return 0;
    const n = this.number();
    if (n < 0) fail();
    this.need('_');
    return n + 1;
  }

  // ---- top level ----

  top(): Node {
    const enc = this.encoding(true);
    let node = enc;
    while (this.peek() === '.' && (isLower(this.peek(1)) || this.peek(1) === '_' || isDigit(this.peek(1)))) {
      const start = this.pos;
      if (isLower(this.peek(1)) || this.peek(1) === '_') {
        this.pos += 2;
        while (isLower(this.peek()) || this.peek() === '_') this.pos++;
      }
      while (this.peek() === '.' && isDigit(this.peek(1))) {
        this.pos += 2;
        while (isDigit(this.peek())) this.pos++;
      }
      node = { k: 'clone', inner: node, s: this.s.slice(start, this.pos) };
    }
    if (this.pos !== this.s.length) fail();
    return node;
  }

  encoding(top: boolean): Node {
    this.enter();
    const c = this.peek();
    let r: Node;
    if (c === 'T' || (c === 'G' && this.peek(1) !== undefined)) {
      r = this.special();
    } else {
      const ni = this.name();
      const c2 = this.peek();
      if (c2 === undefined || c2 === 'E' || (top && c2 === '.')) {
        if (ni.q || ni.ref) fail();
        r = { k: 'enc', name: ni.node, fn: null, q: '', ref: '' };
      } else {
        const ret = hasReturnType(ni.node) ? this.type() : NO_RET;
        const fn: Fn = { k: 'fn', ret, params: this.params(), q: '', ref: '', ex: '' };
        r = { k: 'enc', name: ni.node, fn, q: ni.q, ref: ni.ref };
      }
    }
    this.depth--;
    return r;
  }

  params(): Node[] {
    const out: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === 'E' || c === '.') break;
      out.push(this.type());
    }
    if (out.length === 0) fail();
    if (out.length === 1 && out[0] === VOID) return [];
    return out;
  }

  /** [n] <digits, possibly none> _ */
  offset(): void {
    this.eat('n');
    this.optNumber();
    this.need('_');
  }

  callOffset(): void {
    if (this.eat('h')) {
      this.offset();
    } else if (this.eat('v')) {
      this.offset();
      this.offset();
    } else fail();
  }

  special(): Node {
    const sp = (s: string, inner: Node): Node => ({ k: 'special', s, inner });
    if (this.eat('TV')) return sp('vtable for ', this.type());
    if (this.eat('TT')) return sp('VTT for ', this.type());
    if (this.eat('TI')) return sp('typeinfo for ', this.type());
    if (this.eat('TS')) return sp('typeinfo name for ', this.type());
    if (this.eat('TF')) return sp('typeinfo fn for ', this.type());
    if (this.eat('Th')) {
      this.offset();
      return sp('non-virtual thunk to ', this.encoding(false));
    }
    if (this.eat('Tv')) {
      this.offset();
      this.offset();
      return sp('virtual thunk to ', this.encoding(false));
    }
    if (this.eat('Tc')) {
      this.callOffset();
      this.callOffset();
      return sp('covariant return thunk to ', this.encoding(false));
    }
    if (this.eat('TC')) {
      const a = this.type();
      this.offset();
      const b = this.type();
      return { k: 'ctorvt', a, b };
    }
    if (this.eat('TW')) return sp('TLS wrapper function for ', this.name().node);
    if (this.eat('TH')) return sp('TLS init function for ', this.name().node);
    if (this.eat('GV')) return sp('guard variable for ', this.name().node);
    if (this.eat('GR')) {
      const n = this.name().node;
      const num = this.optNumber();
      return sp(`reference temporary #${num} for `, n);
    }
    if (this.eat('GA')) return sp('hidden alias for ', this.encoding(false));
    if (this.eat('GTt')) return sp('transaction clone for ', this.encoding(false));
    if (this.eat('GTn')) return sp('non-transaction clone for ', this.encoding(false));
    return fail();
  }

  // ---- names ----

  name(): NameInfo {
    this.enter();
    const c = this.peek();
    let r: NameInfo;
    if (c === 'N') r = this.nested();
    else if (c === 'Z') r = this.local();
    else {
      let node: Node;
      if (c === 'S' && this.peek(1) !== 't') {
        node = this.substitution(false);
        if (this.peek() !== 'I') fail();
        node = { k: 'tmpl', name: node, args: this.templateArgs() };
      } else {
        const std = this.eat('St');
        node = this.unqualified(null);
        if (std) node = { k: 'qual', scope: STD, name: node };
        if (this.peek() === 'I') {
          this.subs.push(node);
          node = { k: 'tmpl', name: node, args: this.templateArgs() };
        }
      }
      r = { node, q: '', ref: '' };
    }
    this.depth--;
    return r;
  }

  cvQuals(): string {
    const qs: string[] = [];
    for (;;) {
      if (this.eat('r')) qs.push(' restrict');
      else if (this.eat('V')) qs.push(' volatile');
      else if (this.eat('K')) qs.push(' const');
      else break;
    }
    return qs.reverse().join('');
  }

  refQual(): string {
    if (this.eat('R')) return ' &';
    if (this.eat('O')) return ' &&';
    return '';
  }

  nested(): NameInfo {
    this.need('N');
    const q = this.cvQuals();
    const ref = this.refQual();
    let cur: Node | null = null;
    for (;;) {
      const c = this.peek();
      if (c === undefined) fail();
      if (c === 'E') {
        this.pos++;
        break;
      }
      let isSub = false;
      if (c === 'I') {
        if (!cur) fail();
        cur = { k: 'tmpl', name: cur as Node, args: this.templateArgs() };
      } else if (c === 'T') {
        if (cur) fail();
        cur = this.templateParam();
      } else if (c === 'S') {
        if (cur) fail();
        cur = this.substitution(true);
        isSub = true;
      } else if (c === 'D' && (this.peek(1) === 't' || this.peek(1) === 'T')) {
        if (cur) fail();
        cur = this.decltype();
      } else if (c === 'M') {
        if (!cur) fail();
        this.pos++;
        continue;
      } else {
        const n = this.unqualified(cur);
        cur = cur ? { k: 'qual', scope: cur, name: n } : n;
      }
      if (this.peek() !== 'E' && !isSub) this.subs.push(cur as Node);
    }
    if (!cur) fail();
    return { node: cur as Node, q, ref };
  }

  local(): NameInfo {
    this.need('Z');
    const enc = this.encoding(false);
    this.need('E');
    if (this.eat('s')) {
      this.discriminator();
      return { node: { k: 'local', enc, entity: { k: 'name', s: 'string literal' } }, q: '', ref: '' };
    }
    if (this.eat('d')) {
      const num = this.seqUnderscore();
      const e = this.name();
      return { node: { k: 'defarg', enc, num, entity: e.node }, q: e.q, ref: e.ref };
    }
    const e = this.name();
    this.discriminator();
    return { node: { k: 'local', enc, entity: e.node }, q: e.q, ref: e.ref };
  }

  discriminator(): void {
    if (!this.eat('_')) return;
    const two = this.eat('_');
    const n = this.optNumber();
    if (two && n >= 10) this.need('_');
  }

  sourceName(): string {
    const n = this.number();
    if (n <= 0 || this.pos + n > this.s.length) fail();
    const id = this.s.slice(this.pos, this.pos + n);
    this.pos += n;
    this.lastName =
      n >= 10 && id.startsWith('_GLOBAL_') && '._$'.includes(id[8] ?? '') && id[9] === 'N'
        ? '(anonymous namespace)'
        : id;
    return this.lastName;
  }

  unqualified(scope: Node | null): Node {
    this.enter();
    const c = this.peek();
    let n: Node;
    if (isDigit(c)) n = { k: 'name', s: this.sourceName() };
    else if (c === 'L') {
      this.pos++;
      n = { k: 'name', s: this.sourceName() };
      this.discriminator();
    } else if (c === 'C') {
      if (!scope) fail();
      this.pos++;
      if (this.eat('I')) {
        if (!'12345'.includes(this.peek() ?? 'x')) fail();
        this.pos++;
        this.type();
        n = { k: 'ctor', name: this.lastName, dtor: false };
      } else {
        if (!'12345'.includes(this.peek() ?? 'x')) fail();
        this.pos++;
        n = { k: 'ctor', name: this.lastName, dtor: false };
      }
    } else if (c === 'D' && '01245'.includes(this.peek(1) ?? 'x')) {
      if (!scope) fail();
      this.pos += 2;
      n = { k: 'ctor', name: this.lastName, dtor: true };
    } else if (c === 'U') {
      if (this.eat('Ut')) {
        n = { k: 'unnamed', num: this.seqUnderscore() + 1 };
        // GNU's demangler makes an unnamed type a substitution of its own, before the name it
        // ends (a closure it does not): later S<n>_ count one more than the ABI says, and gcov
        // prints what they then stand for
        this.subs.push(n);
      } else if (this.eat('Ul')) {
        const params = this.params();
        this.need('E');
        n = { k: 'lambda', params, num: this.seqUnderscore() + 1 };
        if (this.closureSubstitution) this.subs.push(n);
      } else return fail();
    } else if (isLower(c)) n = this.operatorName();
    else return fail();
    while (this.peek() === 'B') {
      this.pos++;
      const last = this.lastName;
      n = { k: 'tag', name: n, tag: this.sourceName() };
      this.lastName = last;
    }
    this.depth--;
    return n;
  }

  operatorName(): Node {
    const code = this.s.slice(this.pos, this.pos + 2);
    if (code === 'cv') {
      this.pos += 2;
      return { k: 'conv', type: this.type(true) };
    }
    if (code === 'li') {
      this.pos += 2;
      return { k: 'op', sym: '"" ' + this.sourceName() };
    }
    if (code[0] === 'v' && isDigit(code[1])) {
      this.pos += 2;
      return { k: 'op', sym: ' ' + this.sourceName() };
    }
    const op = OPS[code];
    if (!op || code === 'dt' || code === 'ds') return fail();
    this.pos += 2;
    return { k: 'op', sym: op[0].trimEnd() };
  }

  substitution(prefix: boolean): Node {
    this.need('S');
    const c = this.peek();
    if (c === '_' || isDigit(c) || (c !== undefined && c >= 'A' && c <= 'Z')) {
      let idx = 0;
      if (!this.eat('_')) {
        let v = 0;
        for (;;) {
          const d = this.peek();
          if (d === '_') break;
          if (isDigit(d)) v = v * 36 + (d as string).charCodeAt(0) - 48;
          else if (d !== undefined && d >= 'A' && d <= 'Z') v = v * 36 + d.charCodeAt(0) - 55;
          else fail();
          if (v > 1e7) fail();
          this.pos++;
        }
        this.pos++;
        idx = v + 1;
      }
      const n = this.subs[idx];
      if (!n) fail();
      return n as Node;
    }
    if (c === 't') {
      this.pos++;
      return STD;
    }
    const std = c !== undefined ? STD_SUBS[c] : undefined;
    if (!std) return fail();
    this.pos++;
    const next = this.peek();
    const full = this.verbose || (prefix && (next === 'C' || next === 'D'));
    this.lastName = std[2];
    return { k: 'name', s: full ? std[1] : std[0], last: std[2] };
  }

  templateParam(): Node {
    this.need('T');
    return { k: 'tparam', idx: this.seqUnderscore() };
  }

  templateArgs(): Node[] {
    this.enter();
    this.need('I');
    const savedLast = this.lastName;
    const args: Node[] = [];
    while (!this.eat('E')) args.push(this.templateArg());
    this.lastName = savedLast;
    this.depth--;
    return args;
  }

  templateArg(): Node {
    const c = this.peek();
    if (c === 'X') {
      this.pos++;
      const e = this.expr();
      this.need('E');
      return e;
    }
    if (c === 'L') return this.exprPrimary();
    if (c === 'J') {
      this.pos++;
      const args: Node[] = [];
      while (!this.eat('E')) args.push(this.templateArg());
      return { k: 'pack', args };
    }
    return this.type();
  }

  decltype(): Node {
    this.need('D');
    if (!this.eat('t') && !this.eat('T')) fail();
    const e = this.expr();
    this.need('E');
    return { k: 'decltype', e };
  }

  // ---- types ----

  type(conv = false): Node {
    this.enter();
    const c = this.peek();
    if (c === undefined) fail();
    let t: Node;
    let sub = true;
    const b = BUILTIN[c as string];
    if (b !== undefined) {
      this.pos++;
      t = b === 'void' ? VOID : { k: 'name', s: b };
      sub = false;
    } else if (c === 'r' || c === 'V' || c === 'K') {
      const q = this.cvQuals();
      if (this.isFunctionTypeStart()) {
        const f = this.functionType();
        t = { ...f, q: q + f.q };
      } else {
        const inner = this.type();
        if (inner.k === 'fn') t = { ...inner, q: q + inner.q };
        else t = { k: 'cv', inner, q };
      }
    } else if (c === 'P') {
      this.pos++;
      t = { k: 'ptr', inner: this.type(), sym: '*' };
    } else if (c === 'R') {
      this.pos++;
      t = { k: 'ptr', inner: this.type(), sym: '&' };
    } else if (c === 'O') {
      this.pos++;
      t = { k: 'ptr', inner: this.type(), sym: '&&' };
    } else if (c === 'C') {
      this.pos++;
      t = { k: 'post', inner: this.type(), s: ' _Complex' };
    } else if (c === 'G') {
      this.pos++;
      t = { k: 'post', inner: this.type(), s: ' _Imaginary' };
    } else if (this.isFunctionTypeStart()) {
      t = this.functionType();
    } else if (c === 'A') {
      this.pos++;
      let dim: Node | string;
      if (isDigit(this.peek())) {
        const start = this.pos;
        this.number();
        dim = this.s.slice(start, this.pos);
      } else if (this.peek() === '_') dim = '';
      else dim = this.expr();
      this.need('_');
      t = { k: 'arr', dim, inner: this.type() };
    } else if (c === 'M') {
      this.pos++;
      const cls = this.type();
      const inner = this.type();
      t = { k: 'memptr', cls, inner };
    } else if (c === 'T') {
      t = this.templateParam();
      if (this.peek() === 'I' && !conv) {
        this.subs.push(t);
        t = { k: 'tmpl', name: t, args: this.templateArgs() };
      }
    } else if (c === 'S') {
      if (this.peek(1) === 't') {
        t = this.name().node;
      } else {
        t = this.substitution(false);
        if (this.peek() === 'I') t = { k: 'tmpl', name: t, args: this.templateArgs() };
        else sub = false;
      }
    } else if (c === 'D') {
      const d = this.peek(1) as string;
      const db = DBUILTIN[d];
      if (db !== undefined) {
        this.pos += 2;
        t = { k: 'name', s: db };
        sub = false;
      } else if (d === 't' || d === 'T') {
        t = this.decltype();
      } else if (d === 'p') {
        this.pos += 2;
        t = { k: 'expand', inner: this.type() };
      } else if (d === 'F') {
        this.pos += 2;
        const n = this.number();
        this.need('_');
        t = { k: 'name', s: `_Float${n}` };
        sub = false;
      } else if (d === 'v') {
        this.pos += 2;
        let dim: string;
        if (isDigit(this.peek())) dim = String(this.number());
        else return fail();
        this.need('_');
        t = { k: 'post', inner: this.type(), s: ` __vector(${dim})` };
      } else return fail();
    } else if (c === 'u') {
      this.pos++;
      t = { k: 'name', s: this.sourceName() };
    } else if (c === 'U') {
      this.pos++;
      const name = this.sourceName();
      if (this.peek() === 'I') fail();
      t = { k: 'post', inner: this.type(), s: ' ' + name };
    } else {
      // class-enum-type
      const ni = this.name();
      if (ni.q || ni.ref) fail();
      t = ni.node;
    }
    if (sub) this.subs.push(t);
    this.depth--;
    return t;
  }

  isFunctionTypeStart(): boolean {
    const c = this.peek();
    if (c === 'F') return true;
    if (c === 'D') {
      const d = this.peek(1);
      return d === 'o' || d === 'O' || d === 'w' || d === 'x';
    }
    return false;
  }

  functionType(): Fn {
    let ex = '';
    for (;;) {
      if (this.eat('Do')) ex += ' noexcept';
      else if (this.eat('DO')) {
        const e = this.expr();
        this.need('E');
        ex += ' noexcept(' + exprText(e) + ')';
      } else if (this.eat('Dx')) ex += ' transaction_safe';
      else if (this.eat('Dw')) fail();
      else break;
    }
    this.need('F');
    this.eat('Y');
    const ret = this.type();
    const params: Node[] = [];
    let ref = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) fail();
      if (c === 'E') break;
      if ((c === 'R' || c === 'O') && this.peek(1) === 'E') {
        ref = c === 'R' ? ' &' : ' &&';
        this.pos++;
        break;
      }
      params.push(this.type());
    }
    this.need('E');
    if (params.length === 0) fail();
    const ps = params.length === 1 && params[0] === VOID ? [] : params;
    return { k: 'fn', ret, params: ps, q: '', ref, ex };
  }

  // ---- expressions ----

  exprPrimary(): Node {
    this.need('L');
    if (this.eat('_Z')) {
      const e = this.encoding(false);
      this.need('E');
      return e;
    }
    const t = this.type();
    if (t === VOID) fail();
    const neg = this.eat('n');
    const start = this.pos;
    while (this.peek() !== 'E' && this.peek() !== undefined) this.pos++;
    const raw = this.s.slice(start, this.pos);
    this.need('E');
    // `LDnE` (nullptr) is printed as its type alone; `LDn0E` as any other literal
    if (t.k === 'name' && t.s === 'decltype(nullptr)' && raw === '' && !neg) return t;
    if (t.k === 'name' && ['float', 'double', 'long double', '__float128'].includes(t.s)) {
      if (!/^[0-9a-f]+$/.test(raw) || neg) fail();
      return { k: 'lit', type: t, v: `[${raw}]` };
    }
    if (!/^[0-9]+$/.test(raw)) fail();
    const v = (neg ? '-' : '') + raw;
    if (t.k === 'name' && t.s === 'bool' && !neg && (raw === '0' || raw === '1'))
      return { k: 'litbool', v: raw === '1' };
    if (t.k === 'name') {
      const code = Object.keys(BUILTIN).find((k) => BUILTIN[k] === t.s);
      const suf = code !== undefined ? INT_SUFFIX[code] : undefined;
      if (suf !== undefined) return { k: 'litint', v, suffix: suf };
    }
    return { k: 'lit', type: t, v };
  }

  functionParam(): Node {
    // fp <cv> [<number>] _ | fL <number> p <cv> [<number>] _ | fpT (`this`)
    if (this.eat('fpT')) return { k: 'name', s: 'this' };
    if (this.eat('fp')) {
      this.cvQuals();
      return { k: 'fparam', n: this.seqUnderscore() + 1 };
    }
    this.need('fL');
    this.number();
    this.need('p');
    this.cvQuals();
    return { k: 'fparam', n: this.seqUnderscore() + 1 };
  }

  exprList(end: string): Node[] {
    const out: Node[] = [];
    while (!this.eat(end)) out.push(this.expr());
    return out;
  }

  expr(): Node {
    this.enter();
    const r = this.expr1();
    this.depth--;
    return r;
  }

  expr1(): Node {
    const c = this.peek();
    if (c === undefined) return fail();
    if (c === 'L') return this.exprPrimary();
    if (c === 'T') return this.templateParam();
    if (c === 'f' && (this.peek(1) === 'p' || (this.peek(1) === 'L' && isDigit(this.peek(2)))))
      return this.functionParam();
    const two = this.s.slice(this.pos, this.pos + 2);
    if (c === 'f' && 'lrLR'.includes(this.peek(1) ?? 'x')) {
      this.pos += 2;
      const code = this.s.slice(this.pos, this.pos + 2);
      const op = OPS[code];
      if (!op || op[1] !== 2) fail();
      this.pos += 2;
      const a = this.expr();
      const b = two === 'fL' || two === 'fR' ? this.expr() : null;
      return { k: 'fold', op: (op as [string, number])[0], kind: two[1] as string, a, b };
    }
    const gs = this.eat('gs');
    const code = this.s.slice(this.pos, this.pos + 2);
    if (code === 'nw' || code === 'na') {
      this.pos += 2;
      const place = this.exprList('_');
      const type = this.type();
      let init: Node[] | null = null;
      if (this.eat('pi')) init = this.exprList('E');
      else if (this.peek() === 'i' && this.peek(1) === 'l') {
        fail();
      } else this.need('E');
      return { k: 'new', global: gs, arr: code === 'na', place, type, init };
    }
    if (code === 'dl' || code === 'da') {
      this.pos += 2;
      return { k: 'delete', global: gs, arr: code === 'da', e: this.expr() };
    }
    if (gs) {
      return { k: 'scoped', scope: { k: 'name', s: '' }, name: this.unresolvedName() };
    }
    switch (code) {
      case 'cl': {
        this.pos += 2;
        const fn = this.expr();
        return { k: 'call', fn, args: this.exprList('E') };
      }
      case 'cv': {
        this.pos += 2;
        const type = this.type();
        if (this.eat('_')) return { k: 'cast', type, args: this.exprList('E'), list: true };
        return { k: 'cast', type, args: [this.expr()], list: false };
      }
      case 'tl': {
        this.pos += 2;
        const type = this.type();
        return { k: 'braced', type, args: this.exprList('E') };
      }
      case 'il':
        this.pos += 2;
        return { k: 'braced', type: null, args: this.exprList('E') };
      case 'dc':
      case 'sc':
      case 'cc':
      case 'rc': {
        this.pos += 2;
        const kind = { dc: 'dynamic_cast', sc: 'static_cast', cc: 'const_cast', rc: 'reinterpret_cast' }[
          code
        ];
        const type = this.type();
        return { k: 'namedcast', kind, type, e: this.expr() };
      }
      case 'st':
        this.pos += 2;
        return { k: 'sizeoftype', kw: 'sizeof', type: this.type() };
      case 'at':
      case 'sz':
      case 'az':
        this.pos += 2;
        return { k: 'sizeofexpr', kw: code === 'sz' ? 'sizeof' : 'alignof', e: this.expr() };
      case 'sZ':
        this.pos += 2;
        if (this.peek() === 'T') return { k: 'sizeofpack', e: this.templateParam() };
        return { k: 'sizeofpack', e: this.functionParam() };
      case 'sp':
        this.pos += 2;
        return { k: 'exprpack', e: this.expr() };
      case 'tw':
        this.pos += 2;
        return { k: 'throw', e: this.expr() };
      case 'tr':
        this.pos += 2;
        return { k: 'throw', e: null };
      case 'dt':
      case 'pt': {
        this.pos += 2;
        const l = this.expr();
        return { k: 'member', op: code === 'dt' ? '.' : '->', l, r: this.unresolvedName() };
      }
      case 'ds': {
        this.pos += 2;
        const l = this.expr();
        return { k: 'binary', op: '.*', l, r: this.expr() };
      }
      case 'pp':
      case 'mm': {
        this.pos += 2;
        const op = code === 'pp' ? '++' : '--';
        if (this.eat('_')) return { k: 'unary', op, e: this.expr() };
        return { k: 'postfix', op, e: this.expr() };
      }
      case 'ix': {
        this.pos += 2;
        const l = this.expr();
        return { k: 'index', l, r: this.expr() };
      }
      case 'qu': {
        this.pos += 2;
        const c1 = this.expr();
        const a = this.expr();
        return { k: 'quest', c: c1, a, b: this.expr() };
      }
      case 'sr':
        return this.unresolvedName();
    }
    const op = OPS[code];
    if (op && isLower(c)) {
      this.pos += 2;
      if (op[1] === 1) return { k: 'unary', op: op[0], e: this.expr() };
      if (op[1] === 2) {
        const l = this.expr();
        return { k: 'binary', op: op[0], l, r: this.expr() };
      }
      return fail();
    }
    return this.unresolvedName();
  }

  /** <unresolved-name> and plain names used in expressions. */
  unresolvedName(): Node {
    if (this.eat('sr')) {
      // GNU reads `srN … E` as a nested-name type, so its prefixes, template parameters and
      // the whole type are substitutions, as they are to the compiler that wrote the name
      // (`srNS_13__is_durationIT_EE5valueES8_`: S8_ is that T_)
      if (this.peek() === 'N') return this.baseUnresolved(this.type());
      if (isDigit(this.peek())) {
        let scope: Node = this.qualLevel(null);
        while (!this.eat('E')) scope = this.qualLevel(scope);
        return this.baseUnresolved(scope);
      }
      return this.baseUnresolved(this.unresolvedType());
    }
    return this.baseUnresolved();
  }

  unresolvedType(): Node {
    const c = this.peek();
    if (c === 'T' || c === 'D' || c === 'S') return this.type();
    return this.simpleIdNoArgs();
  }

  simpleIdNoArgs(): Node {
    return { k: 'name', s: this.sourceName() };
  }

  /** One <unresolved-qualifier-level> (a <simple-id>) appended to `scope`. */
  qualLevel(scope: Node | null): Node {
    let n: Node = this.simpleIdNoArgs();
    if (scope) n = { k: 'qual', scope, name: n };
    if (this.peek() === 'I') n = { k: 'tmpl', name: n, args: this.templateArgs() };
    return n;
  }

  /** <base-unresolved-name> under `scope` (null: none); template arguments wrap the whole. */
  baseUnresolved(scope: Node | null = null): Node {
    let n: Node;
    if (isDigit(this.peek())) n = this.simpleIdNoArgs();
    else {
      if (this.eat('dn')) fail();
      this.eat('on');
      n = this.operatorName();
    }
    if (scope) n = { k: 'qual', scope, name: n };
    if (this.peek() === 'I') n = { k: 'tmpl', name: n, args: this.templateArgs() };
    return n;
  }
}

const STD: Node = { k: 'name', s: 'std' };
const VOID: Node = { k: 'name', s: 'void' };
const NO_RET: Node = { k: 'name', s: '' };

function isCtorDtorConv(n: Node): boolean {
  switch (n.k) {
    case 'qual':
      return isCtorDtorConv(n.name);
    case 'local':
      return isCtorDtorConv(n.entity);
    case 'tag':
      return isCtorDtorConv(n.name);
    case 'ctor':
    case 'conv':
      return true;
    default:
      return false;
  }
}

function hasReturnType(n: Node): boolean {
  if (n.k === 'local') return hasReturnType(n.entity);
  if (n.k === 'defarg') return hasReturnType(n.entity);
  if (n.k === 'tmpl') return !isCtorDtorConv(n.name);
  return false;
}

/** noexcept(<expression>) specifications are not supported (gcc does not emit them in names). */
function exprText(_e: Node): string {
  return fail();
}

class Printer {
  out = '';
  steps = 0;
  templates: Node[][] = [];
  /**
   * Per template parameter that a reference (`R`, `O`) stands on, the template scope it was
   * first printed in. GNU prints such a reference met again through a substitution in that
   * scope, not in the one it is met in: a local class's enclosing function's `OT0_` reused by
   * the outer function's parameters still names the local function's T0.
   */
  refScopes = new Map<Node, Node[][]>();
  /** References and template parameters being printed (GNU's component stack, for those). */
  printing: Node[] = [];
  currentTemplate: Extract<Node, { k: 'tmpl' }> | null = null;
  packIndex = -1;
  inLambda = false;
  depth = 0;

  /** What the last character looks like after an empty list item took back its comma. */
  fakeLast: string | null = null;

  add(s: string): void {
    if (s === '') return;
    this.fakeLast = null;
    this.out += s;
    if (this.out.length > MAX_OUT) fail();
  }
  last(): string | undefined {
    return this.fakeLast ?? this.out[this.out.length - 1];
  }
  step(): void {
    if (++this.steps > MAX_STEPS || this.depth > MAX_DEPTH * 4) fail();
  }

  /** The argument a template parameter stands for, printed with the outer scope. */
  resolve(n: Extract<Node, { k: 'tparam' }>): { arg: Node; pop: Node[] } {
    const top = this.templates[this.templates.length - 1];
    if (!top) return fail();
    let arg = top[n.idx];
    if (!arg) return fail();
    if (arg.k === 'pack') {
      if (this.packIndex < 0) return { arg, pop: top };
      const a = arg.args[this.packIndex];
      if (!a) return fail();
      arg = a;
    }
    return { arg, pop: top };
  }

  withResolved<T>(n: Extract<Node, { k: 'tparam' }>, f: (arg: Node) => T): T {
    const { arg } = this.resolve(n);
    const saved = this.templates;
    const savedPack = this.packIndex;
    this.templates = saved.slice(0, -1);
    this.packIndex = -1;
    this.printing.push(n);
    try {
      return f(arg);
    } finally {
      this.printing.pop();
      this.templates = saved;
      this.packIndex = savedPack;
    }
  }

  /**
   * The scope a reference's template parameter resolves in (see refScopes): the current one
   * the first time, then the first one, unless the reference or its parameter is being
   * printed already (then GNU keeps the current one).
   */
  refScope(n: Extract<Node, { k: 'ptr' }>): Node[][] | null {
    if (n.sym === '*' || n.inner.k !== 'tparam' || this.inLambda) return null;
    const kept = this.refScopes.get(n.inner);
    if (kept === undefined) {
      this.refScopes.set(n.inner, this.templates.slice());
      return null;
    }
    return this.printing.includes(n) || this.printing.includes(n.inner) ? null : kept;
  }

  /** Follow template parameters to the type they denote (for layout decisions). */
  deref(n: Node): Node {
    let guard = 0;
    let saved: Node[][] | null = null;
    let cur = n;
    while (cur.k === 'tparam' && !this.inLambda) {
      if (++guard > 64) fail();
      const { arg } = this.resolve(cur);
      if (!saved) saved = this.templates;
      this.templates = this.templates.slice(0, -1);
      cur = arg;
    }
    if (saved) this.templates = saved;
    return cur;
  }

  needsParens(n: Node): 'fn' | 'arr' | null {
    const d = this.deref(n);
    if (d.k === 'fn') return 'fn';
    if (d.k === 'arr') return 'arr';
    if (d.k === 'cv' && this.deref(d.inner).k === 'arr') return 'arr';
    return null;
  }

  /** Runs f on the node n denotes, template parameters resolved (in their own scope). */
  inResolved(n: Node, f: (d: Node) => void): void {
    if (n.k === 'tparam' && !this.inLambda) this.withResolved(n, (a) => this.inResolved(a, f));
    else f(n);
  }

  hasRight(n: Node): boolean {
    const d = this.deref(n);
    switch (d.k) {
      case 'fn':
      case 'arr':
        return true;
      case 'ptr':
      case 'cv':
      case 'memptr':
        return this.hasRight(d.inner);
      default:
        return false;
    }
  }

  print(n: Node): void {
    this.printLeft(n);
    this.printRight(n);
  }

  printLeft(n: Node): void {
    this.step();
    this.depth++;
    try {
      this.left(n);
    } finally {
      this.depth--;
    }
  }

  printRight(n: Node): void {
    this.step();
    this.depth++;
    try {
      this.right(n);
    } finally {
      this.depth--;
    }
  }

  /** Reference collapsing through template parameters. */
  collapse(n: Extract<Node, { k: 'ptr' }>): { inner: Node; sym: string; scope: Node[][] | null } {
    if (n.sym === '*') return { inner: n.inner, sym: '*', scope: null };
    let sym: string = n.sym;
    let inner = n.inner;
    let scope: Node[][] | null = this.refScope(n);
    let guard = 0;
    for (;;) {
      if (++guard > 64) fail();
      const saved = this.templates;
      if (scope) this.templates = scope;
      let d: Node;
      let dscope: Node[][];
      if (inner.k === 'tparam' && !this.inLambda) {
        const { arg } = this.resolve(inner);
        d = arg;
        dscope = this.templates.slice(0, -1);
      } else {
        d = inner;
        dscope = this.templates;
      }
      this.templates = saved;
      if (d.k === 'ptr' && d.sym !== '*') {
        if (d.sym === '&') sym = '&';
        inner = d.inner;
        scope = dscope;
        continue;
      }
      return { inner, sym, scope };
    }
  }

  left(n: Node): void {
    switch (n.k) {
      case 'ptr': {
        const c = this.collapse(n);
        const saved = this.templates;
        if (c.scope) this.templates = c.scope;
        this.printing.push(n);
        try {
          const p = this.needsParens(c.inner);
          this.printLeft(c.inner);
          if (p === 'arr') this.add(' (');
          else if (p === 'fn') this.openParen();
          this.add(c.sym);
        } finally {
          this.printing.pop();
          this.templates = saved;
        }
        return;
      }
      case 'memptr': {
        const p = this.needsParens(n.inner);
        this.printLeft(n.inner);
        if (p === 'arr') this.add(' (');
        else if (p === 'fn') this.openParen();
        else this.add(' ');
        this.print(n.cls);
        this.add('::*');
        return;
      }
      case 'cv': {
        if (this.needsParens(n.inner) === 'fn') fail();
        if (this.needsParens(n.inner) === 'arr') {
          // a qualified array is an array of qualified elements
          this.inResolved(n.inner, (a) => {
            if (a.k !== 'arr') fail();
            this.printLeft((a as Extract<Node, { k: 'arr' }>).inner);
          });
          this.add(n.q);
          return;
        }
        const d = n.inner.k === 'tparam' && !this.inLambda ? this.deref(n.inner) : n.inner;
        if (d !== n.inner && d.k === 'cv') {
          // a qualifier the argument already has is printed once, outside
          const words = n.q.split(' ');
          const q = d.q
            .split(' ')
            .filter((w) => w && !words.includes(w))
            .map((w) => ' ' + w)
            .join('');
          this.withResolved(n.inner as Extract<Node, { k: 'tparam' }>, () => {
            if (q) this.printLeft({ ...d, q });
            else this.printLeft(d.inner);
          });
        } else this.printLeft(n.inner);
        this.add(n.q);
        return;
      }
      case 'fn': {
        this.printLeft(n.ret);
        if (!this.hasRight(n.ret)) this.add(' ');
        return;
      }
      case 'arr':
        this.printLeft(n.inner);
        return;
      case 'tparam':
        if (this.inLambda) {
          this.add(`auto:${n.idx + 1}`);
          return;
        }
        this.withResolved(n, (a) => this.printLeft(a));
        return;
      case 'post':
        this.print(n.inner);
        this.add(n.s);
        return;
      default:
        this.plain(n);
    }
  }

  right(n: Node): void {
    switch (n.k) {
      case 'ptr': {
        const c = this.collapse(n);
        const saved = this.templates;
        if (c.scope) this.templates = c.scope;
        this.printing.push(n);
        try {
          if (this.needsParens(c.inner)) this.add(')');
          this.printRight(c.inner);
        } finally {
          this.printing.pop();
          this.templates = saved;
        }
        return;
      }
      case 'memptr':
        if (this.needsParens(n.inner)) this.add(')');
        this.printRight(n.inner);
        return;
      case 'cv':
        this.printRight(n.inner);
        return;
      case 'fn':
        this.add('(');
        this.list(n.params);
        this.add(')');
        this.add(n.q + n.ref + n.ex);
        this.printRight(n.ret);
        return;
      case 'arr': {
        if (this.last() !== ']') this.add(' ');
        this.add('[');
        if (typeof n.dim === 'string') this.add(n.dim);
        else this.expr(n.dim);
        this.add(']');
        this.printRight(n.inner);
        return;
      }
      case 'tparam':
        if (this.inLambda) return;
        this.withResolved(n, (a) => this.printRight(a));
        return;
      default:
        return;
    }
  }

  openParen(): void {
    const l = this.last();
    if (l !== '(' && l !== '*' && l !== ' ') this.add(' ');
    this.add('(');
  }

  /** Comma-separated items (packs expanded). */
  list(items: Node[]): void {
    // GNU style: a comma is taken back only when everything after it printed nothing.
    let keep = -1;
    items.forEach((it, i) => {
      if (i > 0) this.add(', ');
      const len = this.out.length;
      this.item(it);
      if (i === 0 || this.out.length !== len) keep = this.out.length;
    });
    if (keep >= 0 && this.out.length !== keep) {
      this.out = this.out.slice(0, keep);
      this.fakeLast = ' ';
    }
  }

  /** One element of a parameter or argument list: packs are expanded inline. */
  item(n: Node): void {
    if (n.k === 'pack') {
      this.list(n.args);
      return;
    }
    if (n.k === 'expand') {
      this.expansion(n.inner, (x) => this.print(x));
      return;
    }
    if (n.k === 'tparam' && this.packIndex < 0 && !this.inLambda) {
      const { arg } = this.resolve(n);
      if (arg.k === 'pack') {
        this.withResolved(n, (a) => this.item(a));
        return;
      }
    }
    if (isExpr(n)) this.expr(n);
    else this.print(n);
  }

  findPack(n: Node, seen = 0): number | null {
    if (seen > 256) return fail();
    switch (n.k) {
      case 'tparam': {
        const top = this.templates[this.templates.length - 1];
        const a = top?.[n.idx];
        return a && a.k === 'pack' ? a.args.length : null;
      }
      case 'ptr':
      case 'cv':
      case 'post':
      case 'arr':
        return this.findPack(n.inner, seen + 1);
      case 'memptr':
        return this.findPack(n.cls, seen + 1) ?? this.findPack(n.inner, seen + 1);
      case 'fn': {
        const r = this.findPack(n.ret, seen + 1);
        if (r !== null) return r;
        for (const p of n.params) {
          const x = this.findPack(p, seen + 1);
          if (x !== null) return x;
        }
        return null;
      }
      case 'tmpl': {
        const r = this.findPack(n.name, seen + 1);
        if (r !== null) return r;
        for (const p of n.args) {
          const x = this.findPack(p, seen + 1);
          if (x !== null) return x;
        }
        return null;
      }
      case 'qual':
        return this.findPack(n.scope, seen + 1) ?? this.findPack(n.name, seen + 1);
      case 'fparam':
      case 'name':
        return null;
      default:
        if (isExpr(n)) {
          for (const c of exprChildren(n)) {
            const x = this.findPack(c, seen + 1);
            if (x !== null) return x;
          }
          return null;
        }
        return null;
    }
  }

  expansion(pattern: Node, f: (n: Node) => void): void {
    const len = this.findPack(pattern);
    if (len === null) {
      // no template parameter pack in it (a function parameter pack, or an S<n>_ that names
      // another type under an older numbering): GNU prints the pattern, bracketed unless
      // simple, then "..."
      const simple = pattern.k === 'name' || pattern.k === 'qual' || pattern.k === 'fparam';
      if (!simple) this.add('(');
      f(pattern);
      if (!simple) this.add(')');
      this.add('...');
      return;
    }
    const saved = this.packIndex;
    try {
      for (let i = 0; i < len; i++) {
        this.packIndex = i;
        if (i > 0) this.add(', ');
        f(pattern);
      }
    } finally {
      this.packIndex = saved;
    }
  }

  templateArgs(args: Node[]): void {
    if (this.last() === '<') this.add(' ');
    this.add('<');
    this.list(args);
    if (this.last() === '>') this.add(' ');
    this.add('>');
  }

  plain(n: Node): void {
    switch (n.k) {
      case 'name':
        this.add(n.s);
        return;
      case 'qual':
        this.print(n.scope);
        this.add('::');
        this.print(n.name);
        return;
      case 'tmpl': {
        const saved = this.currentTemplate;
        this.currentTemplate = n;
        try {
          this.print(n.name);
          this.templateArgs(n.args);
        } finally {
          this.currentTemplate = saved;
        }
        return;
      }
      case 'tag':
        this.print(n.name);
        this.add(`[abi:${n.tag}]`);
        return;
      case 'ctor':
        if (!n.name) fail();
        if (n.dtor) this.add('~');
        this.add(n.name);
        return;
      case 'op':
        this.add('operator');
        if (isLower(n.sym[0])) this.add(' ');
        this.add(n.sym);
        return;
      case 'conv': {
        this.add('operator ');
        const ct = this.currentTemplate;
        if (ct) {
          this.templates.push(ct.args);
          try {
            this.print(n.type);
          } finally {
            this.templates.pop();
          }
        } else this.print(n.type);
        return;
      }
      case 'lambda': {
        this.add('{lambda(');
        const saved = this.inLambda;
        this.inLambda = true;
        try {
          this.list(n.params);
        } finally {
          this.inLambda = saved;
        }
        this.add(`)#${n.num}}`);
        return;
      }
      case 'unnamed':
        this.add(`{unnamed type#${n.num}}`);
        return;
      case 'local':
        this.encNoRet(n.enc);
        this.add('::');
        this.print(n.entity);
        return;
      case 'defarg':
        this.encNoRet(n.enc);
        this.add(`::{default arg#${n.num + 1}}::`);
        this.print(n.entity);
        return;
      case 'enc':
        this.encoding(n);
        return;
      case 'special':
        this.add(n.s);
        this.print(n.inner);
        return;
      case 'ctorvt':
        this.add('construction vtable for ');
        this.print(n.b);
        this.add('-in-');
        this.print(n.a);
        return;
      case 'clone':
        this.print(n.inner);
        this.add(` [clone ${n.s}]`);
        return;
      case 'decltype':
        this.add('decltype (');
        this.expr(n.e);
        this.add(')');
        return;
      case 'pack':
        this.list(n.args);
        return;
      case 'expand':
        this.expansion(n.inner, (x) => this.print(x));
        return;
      default:
        if (isExpr(n)) {
          this.expr(n);
          return;
        }
        fail();
    }
  }

  /** The function a local name belongs to is printed without its return type. */
  encNoRet(n: Node): void {
    if (n.k === 'enc') this.encoding(n, true);
    else this.print(n);
  }

  encoding(n: Extract<Node, { k: 'enc' }>, dropRet = false): void {
    let tn = n.name;
    while (tn.k === 'local' || tn.k === 'defarg') tn = tn.entity;
    const args = tn.k === 'tmpl' ? tn.args : null;
    const pushed = args !== null;
    if (args) this.templates.push(args);
    try {
      const fn = n.fn;
      if (!fn) {
        this.print(n.name);
        return;
      }
      const ret = dropRet ? NO_RET : fn.ret;
      if (ret !== NO_RET) {
        this.printLeft(ret);
        if (!this.hasRight(ret)) this.add(' ');
      }
      this.print(n.name);
      this.add('(');
      this.list(fn.params);
      this.add(')');
      this.add(n.q + n.ref);
      if (ret !== NO_RET) this.printRight(ret);
    } finally {
      if (pushed) this.templates.pop();
    }
  }

  // ---- expressions ----

  sub(n: Node): void {
    const d = n.k === 'enc' && !n.fn ? n.name : n;
    const simple = d.k === 'name' || d.k === 'qual' || d.k === 'fparam' || (d.k === 'braced' && !d.type);
    if (!simple) this.add('(');
    this.expr(n);
    if (!simple) this.add(')');
  }

  expr(n: Node): void {
    this.step();
    this.depth++;
    try {
      this.expr1(n);
    } finally {
      this.depth--;
    }
  }

  expr1(n: Node): void {
    switch (n.k) {
      case 'lit':
        this.add('(');
        this.print(n.type);
        this.add(')' + n.v);
        return;
      case 'litbool':
        this.add(n.v ? 'true' : 'false');
        return;
      case 'litint':
        this.add(n.v + n.suffix);
        return;
      case 'fparam':
        this.add(`{parm#${n.n}}`);
        return;
      case 'unary':
        this.add(n.op);
        if (n.op === '&' && n.e.k === 'enc' && n.e.fn && n.e.name.k === 'qual') {
          this.print(n.e.name);
          return;
        }
        this.sub(n.e);
        return;
      case 'postfix':
        this.sub(n.e);
        this.add(n.op);
        return;
      case 'binary': {
        const gt = n.op === '>';
        if (gt) this.add('(');
        this.sub(n.l);
        this.add(n.op);
        this.sub(n.r);
        if (gt) this.add(')');
        return;
      }
      case 'member':
        this.sub(n.l);
        this.add(n.op);
        this.sub(n.r);
        return;
      case 'index':
        this.sub(n.l);
        this.add('[');
        this.expr(n.r);
        this.add(']');
        return;
      case 'quest':
        this.sub(n.c);
        this.add('?');
        this.sub(n.a);
        this.add(' : ');
        this.sub(n.b);
        return;
      case 'call':
        // a function called by its mangled name (`L_Z…E`) is printed by its name alone: GNU
        // prints neither its return type nor its parameter types there
        this.sub(n.fn.k === 'enc' && n.fn.fn ? n.fn.name : n.fn);
        this.add('(');
        this.list(n.args);
        this.add(')');
        return;
      case 'cast':
        this.add('(');
        this.print(n.type);
        this.add(')');
        if (n.list) {
          this.add('(');
          this.list(n.args);
          this.add(')');
        } else this.sub(n.args[0] as Node);
        return;
      case 'namedcast':
        this.add(n.kind + '<');
        this.print(n.type);
        this.add('>(');
        this.expr(n.e);
        this.add(')');
        return;
      case 'sizeoftype':
        this.add(n.kw + ' (');
        this.print(n.type);
        this.add(')');
        return;
      case 'sizeofexpr':
        this.add(n.kw + ' ');
        this.sub(n.e);
        return;
      case 'sizeofpack': {
        if (n.e.k === 'tparam') {
          const top = this.templates[this.templates.length - 1];
          const a = top?.[n.e.idx];
          this.add(String(a && a.k === 'pack' ? a.args.length : 0));
          return;
        }
        this.add('0');
        return;
      }
      case 'braced':
        if (n.type) this.print(n.type);
        this.add('{');
        this.list(n.args);
        this.add('}');
        return;
      case 'new':
        if (n.global) this.add('::');
        this.add(n.arr ? 'new[]' : 'new');
        if (n.place.length) {
          this.add(' (');
          this.list(n.place);
          this.add(')');
        }
        this.add(' ');
        this.print(n.type);
        if (n.init) {
          this.add('(');
          this.list(n.init);
          this.add(')');
        }
        return;
      case 'delete':
        if (n.global) this.add('::');
        this.add(n.arr ? 'delete[] ' : 'delete ');
        this.sub(n.e);
        return;
      case 'throw':
        if (!n.e) {
          this.add('throw');
          return;
        }
        this.add('throw ');
        this.sub(n.e);
        return;
      case 'fold': {
        this.add('(');
        if (n.kind === 'l') {
          this.add('...' + n.op);
          this.sub(n.a);
        } else if (n.kind === 'r') {
          this.sub(n.a);
          this.add(n.op + '...');
        } else {
          this.sub(n.a);
          this.add(n.op + '...' + n.op);
          this.sub(n.b as Node);
        }
        this.add(')');
        return;
      }
      case 'exprpack':
        this.expansion(n.e, (x) => this.expr(x));
        return;
      case 'scoped':
        this.add('::');
        this.print(n.name);
        return;
      case 'tparam':
        this.print(n);
        return;
      default:
        this.print(n);
    }
  }
}

const EXPR_KINDS = new Set([
  'lit',
  'litbool',
  'litint',
  'unary',
  'postfix',
  'binary',
  'member',
  'index',
  'quest',
  'call',
  'cast',
  'namedcast',
  'sizeoftype',
  'sizeofexpr',
  'sizeofpack',
  'fparam',
  'braced',
  'new',
  'delete',
  'throw',
  'fold',
  'exprpack',
  'scoped',
]);

function isExpr(n: Node): boolean {
  return EXPR_KINDS.has(n.k);
}

function exprChildren(n: Node): Node[] {
  switch (n.k) {
    case 'unary':
    case 'postfix':
    case 'sizeofexpr':
    case 'exprpack':
      return [n.e];
    case 'binary':
    case 'member':
    case 'index':
      return [n.l, n.r];
    case 'quest':
      return [n.c, n.a, n.b];
    case 'call':
      return [n.fn, ...n.args];
    case 'cast':
      return [n.type, ...n.args];
    case 'namedcast':
      return [n.type, n.e];
    case 'sizeoftype':
      return [n.type];
    case 'braced':
      return n.type ? [n.type, ...n.args] : n.args;
    case 'fold':
      return n.b ? [n.a, n.b] : [n.a];
    default:
      return [];
  }
}

/**
 * The demangled form of an Itanium C++ ABI name (`_Z...`, `_GLOBAL__I_...`), as GNU
 * gcov prints it (or c++filt, with `verbose`); undefined when `mangled` is not such a
 * name or uses a construct this demangler does not support.
 */
export function demangle(mangled: string, options: DemangleOptions = {}): string | undefined {
  const verbose = options.verbose ?? false;
  const closures = options.closureSubstitution ?? false;
  try {
    if (mangled.startsWith('_Z')) return run(mangled.slice(2), verbose, closures);
    const g = /^_GLOBAL_[._$]([ID])_/.exec(mangled);
    if (g) {
      const rest = mangled.slice(11);
      const what = g[1] === 'I' ? 'global constructors keyed to ' : 'global destructors keyed to ';
      if (!rest.startsWith('_Z')) return what + rest;
      const inner = run(rest.slice(2), verbose, closures);
      return inner === undefined ? undefined : what + inner;
    }
    return undefined;
  } catch (e) {
    if (e instanceof Fail || e instanceof RangeError) return undefined;
    throw e;
  }
}

function run(body: string, verbose: boolean, closureSubstitution: boolean): string | undefined {
  if (body.length === 0) return undefined;
  const p = new Parser(body, verbose, closureSubstitution);
  const node = p.top();
  const pr = new Printer();
  pr.print(node);
  return pr.out;
}
