/**
 * The demangler against GNU's: every name of real compiler output (the C++ fixtures, the
 * engine's edge.cpp, translation units below built with g++-12 for the constructs real
 * programs produce, and the exported symbols of the installed libstdc++) must demangle to
 * exactly what `c++filt` prints (our `verbose` mode), and the names gcov-12 reports in
 * its JSON must get gcov's `demangled_name` (our default). Names c++filt leaves as they
 * are must give undefined; names we do not support (undefined where c++filt demangles)
 * are counted against a maximum. Lambdas in templates built by g++ 9 to 15 must get each
 * gcov's own `demangled_name`: the demangler of GCC 10 and before numbers substitutions
 * otherwise (GcovFormat.demanglerClosureSubstitution).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demangle } from '../../src/gcov/demangle';
import { readGcno } from '../../src/gcov/gcno';
import { gccTool } from '../helpers/gcc-tools';
import { fixturesRoot, listFixtures, walkFiles } from '../helpers/fixtures';

const GXX = 'g++-12';
const GCOV = 'gcov-12';
const LIBSTDCXX = '/usr/lib/x86_64-linux-gnu/libstdc++.so.6';

function run(cmd: string, args: string[], opts: { cwd?: string; input?: string } = {}): string {
  const p = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20, ...opts });
  if (p.error) throw p.error;
  if (p.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${p.stderr}`);
  return p.stdout;
}

/** c++filt's output for each name, all in one run (one name per line in, one line out). */
function cxxfilt(names: string[]): string[] {
  const out = run('c++filt', [], { input: names.join('\n') + '\n' }).split('\n');
  expect(out.length).toBe(names.length + 1);
  return out.slice(0, names.length);
}

/** Defined symbols of object files or (dynamic) of a shared library, without versions. */
function symbols(files: string[], dynamic = false): string[] {
  const out = run('nm', [
    ...(dynamic ? ['-D'] : []),
    '--defined-only',
    '--without-symbol-versions',
    ...files,
  ]);
  const names = new Set<string>();
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length === 3 && f[2]) names.add(f[2]);
  }
  return [...names].sort();
}

interface Result {
  total: number;
  mangled: number;
  unsupported: string[];
  wrong: { name: string; expected: string | undefined; got: string | undefined }[];
}

function compare(names: string[]): Result {
  const expected = cxxfilt(names);
  const r: Result = { total: names.length, mangled: 0, unsupported: [], wrong: [] };
  names.forEach((name, i) => {
    const filt = expected[i] as string;
    const want = filt === name ? undefined : filt;
    if (want !== undefined) r.mangled++;
    const got = demangle(name, { verbose: true });
    if (got === want) return;
    if (got === undefined) r.unsupported.push(name);
    else r.wrong.push({ name, expected: want, got });
  });
  return r;
}

function report(what: string, r: Result): void {
  const supported = r.mangled - r.unsupported.length;
  const pct = r.mangled ? ((100 * supported) / r.mangled).toFixed(2) : '100.00';
  console.log(
    `demangle ${what}: ${supported}/${r.mangled} mangled names supported (${pct}%), ${r.total} names`,
  );
}

/**
 * Unnamed member types as template arguments, named again later by substitution: GNU's
 * demangler counts an unnamed type as a substitution of its own (std::move, std::swap, take).
 * In both the c++filt corpus and the program gcov reports on.
 */
const UNNAMED_MEMBERS = `struct Holder { enum { H1, H2 } kind; struct { int q; } part; };
template <class T> void take(T &&, T &) {}
int unnamed_members() {
  Holder h{Holder::H2, {4}};
  auto k = h.kind; take(std::move(k), k); std::swap(h.kind, k);
  auto p = h.part; take(std::move(p), p); std::swap(h.part, p);
  return k + p.q;
}`;

/** Constructs real C++ produces; compiled at -O0 and -O2 (clones: .constprop, .isra, .cold). */
const SOURCES: Record<string, string> = {
  'constructs.cpp': `#include <string>
#include <vector>
#include <map>
#include <memory>
#include <functional>
#include <iostream>
#include <sstream>
#include <tuple>
#include <utility>
#include <algorithm>
#include <unordered_map>

namespace outer { namespace inner {
struct Widget {
  int v = 0;
  Widget() = default;
  Widget(int x) : v(x) {}
  Widget(const Widget &) = default;
  Widget(Widget &&) noexcept = default;
  virtual ~Widget() {}
  virtual int get() const { return v; }
  int get() volatile { return v; }
  Widget &operator=(const Widget &) = default;
  Widget &operator+=(int x) { v += x; return *this; }
  bool operator==(const Widget &o) const { return v == o.v; }
  bool operator<(const Widget &o) const { return v < o.v; }
  int operator()(int a, double b) const { return a + (int)b + v; }
  int operator[](long i) const { return v + (int)i; }
  operator int() const { return v; }
  operator const char *() const { return "w"; }
  explicit operator bool() const { return v != 0; }
  Widget operator-() const { return Widget(-v); }
  Widget operator!() const { return Widget(!v); }
  Widget &operator++() { ++v; return *this; }
  Widget operator++(int) { Widget t(*this); ++v; return t; }
  Widget *operator->() { return this; }
  static void *operator new(std::size_t n) { return ::operator new(n); }
  static void operator delete(void *p) { ::operator delete(p); }
  static void *operator new[](std::size_t n) { return ::operator new[](n); }
  static void operator delete[](void *p) { ::operator delete[](p); }
  int rref() && { return 1; }
  int lref() & { return 2; }
  template <typename T> T conv(T t) const { return t + v; }
};
struct Derived : virtual Widget { int get() const override { return 3; } ~Derived() override {} };
struct Multi : Widget, std::stringbuf { int get() const override { return 4; } };
}}

using outer::inner::Widget;

Widget operator+(const Widget &a, const Widget &b) { return Widget(a.v + b.v); }
std::ostream &operator<<(std::ostream &os, const Widget &w) { return os << w.v; }

template <typename T, int N> struct Arr { T data[N]; T &at(int i) { return data[i]; } };
template <typename... Ts> int count(Ts... ts) { return sizeof...(ts); }
template <typename T> auto deduced(T t) -> decltype(t + 1) { return t + 1; }
template <typename T> decltype(auto) deduced2(T &t) { return (t); }
template <typename F> int callit(F f) { return f(1); }
template <int N> int fixed() { return N; }
template <bool B> int flag() { return B; }
template <char C> int chr() { return C; }
template <unsigned long long U> int ull() { return (int)U; }
template <long L> int lng() { return (int)L; }
template <int (*F)(int)> int fp(int x) { return F(x); }
int plain(int x) { return x; }
int arrref(int (&a)[4]) { return a[0]; }
int arrptr(int (*a)[4]) { return (*a)[0]; }
int funcref(int (&f)(int)) { return f(1); }
int memfn(int (Widget::*pm)() const, Widget &w) { return (w.*pm)(); }
int memdata(int Widget::*pm, Widget &w) { return w.*pm; }
int cvptrs(const volatile int *const *p, const char *const s) { return **p + *s; }
int rv(Widget &&w) { return w.v; }
void nullp(std::nullptr_t) {}
void variadic(const char *, ...) {}
void longdbl(long double, __int128, unsigned __int128, char16_t, char32_t, wchar_t, float, bool, signed char, unsigned char, short, unsigned short, unsigned, long, unsigned long, long long, unsigned long long) {}
void fnret(int (*(*f)(int))(double)) {}
template <typename T> struct Box { template <typename U> static U cast(T t) { return (U)t; } };
template <typename T> std::unique_ptr<T> mk() { return std::unique_ptr<T>(new T()); }
namespace { int anon_fn(int x) { static int counter = 0; return x + ++counter; } }
static int static_fn(int x) { return x * 2; }
inline namespace v1 { int inl(int x) { return x; } }
struct [[gnu::abi_tag("tagged")]] Tagged { int x; };
Tagged tagged_fn() { return Tagged{1}; }
std::string strfn(const std::string &s) { return s + "x"; }
__attribute__((abi_tag("cxx11"))) int tagfn() { return 1; }

${UNNAMED_MEMBERS}

int local_things(int x) {
  struct Local { int f() { return 7; } };
  static int s1 = plain(x);
  static std::string s2 = "y";
  auto l1 = [x](int y) { return x + y; };
  auto l2 = [](auto a, auto b) { return a + b; };
  auto l3 = [&]() { return l1(2) + l2(1, 2) + l2(1.0, 2.0); };
  { auto l4 = [](int a) { return a; }; x += l4(1); }
  { auto l4 = [](int a) { return a * 2; }; x += l4(1); }
  enum { E1, E2 } e = E2;
  struct { int q; } unnamed{3};
  std::vector<int> v{3, 1, 2};
  std::sort(v.begin(), v.end(), [](int a, int b) { return a > b; });
  std::function<int(int)> fn = l1;
  return Local().f() + s1 + (int)s2.size() + l3() + e + unnamed.q + fn(3) + callit([](int q) { return q; });
}

int use_all() {
  Widget w(3), w2(4);
  outer::inner::Derived d;
  outer::inner::Multi m;
  int r = (w + w2).v;
  std::cout << w << std::endl;
  w += 1; ++w; w++;
  r += w(1, 2.0) + w[3] + (int)w + (bool)w + (w == w2) + (w < w2) + (-w).v + (!w).v + w->v;
  r += std::move(w).rref() + w.lref() + w.conv(2) + w.conv<long>(3);
  Widget *pw = new Widget(1); delete pw;
  Widget *pa = new Widget[2]; delete[] pa;
  volatile Widget vw(5); r += vw.get();
  r += d.get() + m.get();
  Arr<int, 3> a{}; r += a.at(0);
  Arr<Arr<char, 2>, 4> aa{}; r += aa.at(0).at(1);
  r += count(1, 2.0, "x", 'c') + count();
  r += deduced(3) + (int)deduced(2.0);
  r += deduced2(r);
  r += fixed<-5>() + flag<true>() + flag<false>() + chr<'a'>() + ull<123ull>() + lng<-7L>();
  r += fp<plain>(3) + fp<&static_fn>(2);
  int arr[4] = {1}; r += arrref(arr) + arrptr(&arr) + funcref(plain);
  r += memfn(&Widget::get, w) + memdata(&Widget::v, w);
  r += Box<int>::cast<short>(3) + Box<Widget *>::cast<long>(nullptr);
  r += *mk<int>() + mk<Widget>()->v;
  r += anon_fn(2) + static_fn(3) + inl(1) + tagged_fn().x + (int)strfn("a").size() + tagfn();
  r += local_things(r);
  std::map<std::string, std::vector<std::pair<int, double>>> mp; mp["a"].push_back({1, 2.0});
  std::unordered_map<int, std::shared_ptr<Widget>> um; um[1] = std::make_shared<Widget>(2);
  std::tuple<int, char, std::string> tp(1, 'c', "s"); r += std::get<0>(tp);
  std::ostringstream os; os << 1.5; r += (int)os.str().size();
  return r;
}

struct HasUnnamed { struct { int x; int get() const { return x; } } inner; enum { UA, UB } e; };
template <typename T> int take_t(T t) { return (int)sizeof(t); }
int use_unnamed() { HasUnnamed h{}; return take_t(h.inner) + take_t(h.e) + h.inner.get(); }
__attribute__((noinline)) static int scaled(int v, int k) { int r = 0; for (int i = 0; i < k; i++) r += v * i ^ (r >> 3); return r; }
int use_constprop(int x) { return scaled(x, 7) + scaled(x + 1, 7) + scaled(x * 3, 7); }
`,
  'expressions.cpp': `#include <cstddef>
#include <utility>
#include <type_traits>
#include <array>
#include <atomic>
#include <stdexcept>
template <typename T> struct S {
  T t;
  S() : t() {}
  ~S() {}
  template <typename U> S(U u) : t(u) {}
  const T &get() const & { return t; }
  T &&take() && { return std::move(t); }
  static const S *self(const S *p) { return p; }
  S<T> &operator=(const S &) = default;
  bool operator!=(const S &o) const { return !(t == o.t); }
  S operator%(const S &o) const { return S(t % o.t); }
  S operator^(const S &o) const { return S(t ^ o.t); }
  S operator|(const S &o) const { return S(t | o.t); }
  S operator&(const S &o) const { return S(t & o.t); }
  S operator~() const { return S(~t); }
  S operator<<(int n) const { return S(t << n); }
  S operator>>(int n) const { return S(t >> n); }
  S &operator<<=(int n) { t <<= n; return *this; }
  S &operator>>=(int n) { t >>= n; return *this; }
  S &operator-=(const S &o) { t -= o.t; return *this; }
  S &operator*=(const S &o) { t *= o.t; return *this; }
  S &operator/=(const S &o) { t /= o.t; return *this; }
  S &operator%=(const S &o) { t %= o.t; return *this; }
  S &operator&=(const S &o) { t &= o.t; return *this; }
  S &operator|=(const S &o) { t |= o.t; return *this; }
  S &operator^=(const S &o) { t ^= o.t; return *this; }
  bool operator&&(const S &o) const { return t && o.t; }
  bool operator||(const S &o) const { return t || o.t; }
  bool operator<=(const S &o) const { return t <= o.t; }
  bool operator>=(const S &o) const { return t >= o.t; }
  bool operator>(const S &o) const { return t > o.t; }
  S &operator--() { --t; return *this; }
  S operator--(int) { return *this; }
  int operator,(int x) const { return x; }
  int operator->*(int x) const { return x; }
  S operator*(const S &o) const { return S(t * o.t); }
  S operator/(const S &o) const { return S(t / o.t); }
  S operator+() const { return *this; }
};
template <typename T, std::size_t N> constexpr std::size_t size_of(const T (&)[N]) { return N; }
template <typename T> typename std::enable_if<std::is_integral<T>::value, T>::type only_int(T t) { return t; }
template <typename T, typename = std::enable_if_t<std::is_floating_point<T>::value>> T only_fp(T t) { return t; }
template <typename T> auto sz(const T &t) -> decltype(t.size()) { return t.size(); }
template <typename T> auto add1(T t) -> decltype(t + 1, void()) { (void)t; }
template <typename T> auto neg(T t) -> decltype(-t) { return -t; }
template <typename T> auto callm(T t) -> decltype(t.get()) { return t.get(); }
template <typename T, typename... A> T *construct(void *p, A &&...a) { return new (p) T(std::forward<A>(a)...); }
template <typename... A> void sink(A &&...) {}
template <template <typename> class TT> int tmpl_tmpl() { return sizeof(TT<int>); }
template <typename T> int ptr_to_mem(int T::*p, T &o) { return o.*p; }
struct Pod { int a; int b; };
template <int Pod::*P> int mem_arg(Pod &p) { return p.*P; }
template <typename T> constexpr T pi = T(3.14159);
template <typename T> int use_var() { return (int)pi<T>; }
template <unsigned N> struct Fact { static constexpr unsigned value = N * Fact<N - 1>::value; static unsigned get() { return value; } };
template <> struct Fact<0> { static constexpr unsigned value = 1; static unsigned get() { return 1; } };
template <typename T> auto arr_new(std::size_t n) -> decltype(new T(n)) { return new T[n]; }
template <typename T> auto sizeof_expr(T t) -> char (*)[sizeof(t)] { return nullptr; }
template <typename T> auto cast_expr(T t) -> decltype(static_cast<long>(t)) { return static_cast<long>(t); }
template <std::size_t... I> int seq(std::index_sequence<I...>) { return (int)sizeof...(I); }
template <typename... T> auto fold(T... t) -> decltype((t + ...)) { return (t + ...); }
struct Thrower { [[noreturn]] void boom() { throw std::logic_error("x"); } };
int noexcept_fn() noexcept { return 1; }
void takes_noexcept(int (*)() noexcept) {}
void restrict_ptr(int *__restrict p) { (void)p; }
typedef int vec4 __attribute__((vector_size(16)));
vec4 vecfn(vec4 v) { return v; }
void complex_fn(_Complex double) {}
void half(float, double, long double, __float128) {}
std::atomic<int> at;
int use2() {
  S<int> a, b(3);
  int r = 0;
  r += a.get() + S<int>().take() + (S<int>::self(&a) != nullptr);
  r += (a != b) + (a % b).t + (a ^ b).t + (a | b).t + (a & b).t + (~a).t + (a << 1).t + (a >> 1).t;
  a <<= 1; a >>= 1; a -= b; a *= b; a /= b; a %= b; a &= b; a |= b; a ^= b;
  r += (a && b) + (a || b) + (a <= b) + (a >= b) + (a > b);
  --a; a--; r += (a, 3); r += a->*2; r += (a * b).t + (a / b).t + (+a).t;
  S<double> d(2); r += (int)d.get();
  S<S<int>> ss; r += ss.get().t;
  int arr[7]; r += (int)size_of(arr);
  r += only_int(3) + (int)only_fp(2.0);
  std::array<int, 3> ar{}; r += (int)sz(ar); add1(3); r += neg(2) + callm(a);
  alignas(S<long>) char buf[sizeof(S<long>)]; construct<S<long>>(buf, 5L);
  sink(1, a, "s", 2.0);
  r += tmpl_tmpl<S>();
  Pod p{1, 2}; r += ptr_to_mem(&Pod::a, p) + mem_arg<&Pod::b>(p);
  r += use_var<float>() + use_var<int>();
  r += Fact<5>::get() + Fact<0>::get();
  delete[] arr_new<int>(3); sizeof_expr(3); r += (int)cast_expr(3);
  r += seq(std::make_index_sequence<4>{}); r += fold(1, 2, 3);
  try { Thrower().boom(); } catch (...) {}
  takes_noexcept(noexcept_fn); restrict_ptr(&r);
  r += vecfn(vec4{1, 2, 3, 4})[0];
  complex_fn(1.0); half(1, 2, 3, 4);
  return r + at.load();
}
`,
  // the constructs of header libraries in the style of fmt and nlohmann/json that a real
  // program showed GNU's demangler printing otherwise than ours did
  'generic.cpp': `#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
// a local class of one function template given by reference to another: the reference's
// template parameter, met again through a substitution, keeps the scope it was first in
template <typename Char, typename Handler> const Char *parse_id(const Char *b, const Char *e, Handler &&h) {
  h(b);
  return b == e ? b : b + 1;
}
template <typename Char, typename Handler> const Char *parse_width(const Char *b, const Char *e, Handler &&h) {
  struct width_adapter {
    Handler &h;
    void operator()(const Char *p) { h.on(p); }
  };
  width_adapter a{h};
  return parse_id(b, e, a);
}
struct handler { int n = 0; void on(const char *) { n++; } };
int use_parse() { handler h; const char s[] = "ab"; return int(parse_width(s, s + 2, h) - s) + h.n; }
// srN ... E in enable_if (duration_cast), a call of std::declval by its mangled name, a
// member template called through it, this (fpT) in std::map's transparent find
struct getter {
  template <typename T> T *impl_ptr(T *p) const { return p; }
  template <typename T> T impl(int) const { return T(); }
  template <typename T>
  auto get_ptr(T p) const -> decltype(std::declval<const getter &>().impl_ptr(std::declval<T>())) { return impl_ptr(p); }
  template <typename T>
  auto get() const -> decltype(std::declval<const getter &>().template impl<T>(0)) { return impl<T>(0); }
};
// a nullptr template argument (LDnE)
template <typename T, std::nullptr_t N = nullptr> bool same_as(const T &) { return N == nullptr; }
int use_generic() {
  int r = (int)std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::seconds(2)).count();
  r += (int)std::chrono::duration_cast<std::chrono::seconds>(std::chrono::milliseconds(1500)).count();
  getter g; int x = 1; r += *g.get_ptr(&x) + g.get<int>() + (int)g.get<double>();
  std::map<std::string, int, std::less<>> m{{"a", 1}}; r += m.find("a")->second + (int)m.count("b");
  r += same_as(1) + same_as(2.0);
  return r + use_parse();
}
`,
};

/** Built with --coverage and the old std::string ABI, for gcov's short std:: names. */
const GCOV_SOURCE = `#include <string>
#include <iostream>
#include <utility>
struct A { int f() const { return 1; } int g() volatile { return 2; } };
${UNNAMED_MEMBERS}
int take(const std::string &s, std::istream *i, std::ostream *o) { return (int)s.size() + (i != nullptr) + (o != nullptr); }
volatile int sink;
int main() { A a; volatile A b; sink = take("x", nullptr, nullptr) + a.f() + b.g() + unnamed_members(); return 0; }
`;

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hvcov-demangle-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function compile(name: string, source: string, flags: string[]): string {
  const src = join(work, name);
  writeFileSync(src, source);
  const obj = join(work, `${name}.${flags.join('').replace(/[^A-Za-z0-9]/g, '')}.o`);
  run(GXX, ['-std=c++20', '-w', '-c', ...flags, src, '-o', obj]);
  return obj;
}

describe('demangle matches c++filt', () => {
  it('on the function names of the C++ fixtures (.gcno)', () => {
    const names = new Set<string>();
    for (const config of listFixtures()) {
      for (const f of walkFiles(join(fixturesRoot(), config, 'gcno')).filter((p) => p.endsWith('.gcno'))) {
        for (const fn of readGcno(new Uint8Array(readFileSync(f)), f).functions) names.add(fn.name);
      }
    }
    const r = compare([...names].sort());
    report('fixtures', r);
    expect(r.mangled).toBeGreaterThan(0);
    expect(r.wrong).toEqual([]);
    expect(r.unsupported).toEqual([]);
  });

  it('on the engine test program (edge.cpp)', () => {
    const src = readFileSync(join(process.cwd(), 'test/fixtures/engine/edge.cpp'), 'utf8');
    const objs = [compile('edge.cpp', src, ['-O0']), compile('edge.cpp', src, ['-O2'])];
    const r = compare(symbols(objs));
    report('edge.cpp', r);
    expect(r.mangled).toBeGreaterThan(10);
    expect(r.wrong).toEqual([]);
    expect(r.unsupported).toEqual([]);
  });

  it('on translation units exercising the mangling constructs', () => {
    const objs: string[] = [];
    for (const [name, src] of Object.entries(SOURCES)) {
      objs.push(compile(name, src, ['-O0']), compile(name, src, ['-O2']));
    }
    const names = symbols(objs);
    const r = compare(names);
    report('constructs', r);
    // the corpus really holds what it is meant to exercise
    const all = names.join('\n');
    for (const needle of [
      '.constprop.',
      '.cold',
      '.isra.',
      '_ZGV',
      '_ZTV',
      '_ZTI',
      '_ZTS',
      '_ZTh',
      '_ZTv',
      'Ul',
      'Ut_',
      'Ut0_EEONSt16remove_reference',
      'B5cxx11',
      'DT',
      'Dp',
      'cv',
      'ZZ',
      'OT0_E13width_adapter',
      'srNS_13__is_duration',
      'L_ZSt7declval',
      'fpT',
      'LDnE',
    ]) {
      expect(all, needle).toContain(needle);
    }
    expect(r.mangled).toBeGreaterThan(800);
    expect(r.wrong).toEqual([]);
    expect(r.unsupported).toEqual([]);
  });

  it("on libstdc++'s exported names", () => {
    const r = compare(symbols([LIBSTDCXX], true));
    report('libstdc++', r);
    expect(r.mangled).toBeGreaterThan(3000);
    expect(r.wrong).toEqual([]);
    // at least 99% supported
    expect(r.unsupported.length).toBeLessThanOrEqual(Math.floor(r.mangled / 100));
  });

  it('on hand-written names for rarer constructs', () => {
    const names = [
      '_Z1fPFPivE',
      '_Z1fPFPFivEvE',
      '_Z1fPA3_PFivE',
      '_Z1fPA3_A4_i',
      '_Z1fRKPFivE',
      '_Z1fM1AKFivES0_',
      '_Z1fM1AKFivES2_',
      '_Z1fM1APFivE',
      '_Z1fPM1AFivE',
      '_Z1fM1AA3_i',
      '_Z1fPFivOE',
      '_Z1fPDoFivE',
      '_Z1fDv4_i',
      '_Z1fCd',
      '_Z1fPVKrPi',
      '_Z1fDF16_',
      '_Z1fiz',
      '_ZN1AIiE1fEvT_',
      '_ZN1AcvT_IiEEv',
      '_Z1fIiEPFT_vEv',
      '_Z1fVKiS0_',
      '_Z1fILin5EEvv',
      '_Z1fILb2EEvv',
      '_Z1fIL3Foo5EEvv',
      '_Z1fILDn0EEvv',
      '_Z1fILd3ff00000EEvv',
      '_Z1fIXadL_Z1gvEEEvv',
      '_Z1fIXadL_ZN1A1gEvEEEvv',
      '_ZTh_N1A1fEv',
      '_ZTcv0_n24_h8_N1A1fEv',
      '_ZTC1A8_1B',
      '_ZGR1x_',
      '_ZGRZ1fvE1x_',
      '_ZGTt1fv',
      '_ZTW1x',
      '_ZN1ACI11BEi',
      '_ZN1AB3tagC1Ev',
      '_ZNSsC1Ev',
      '_ZNSdD0Ev',
      '_Z1fIJEEviDpT_i',
      '_Z1fIKiEvKPT_',
      '_ZN1AltIiEEbv',
      '_GLOBAL__I_foo',
      '_GLOBAL__D__Z1fv',
      '_GLOBAL__sub_I__Z1fv',
      '_ZZ1fvEs_0',
      '_ZZ3foovE1x__10_',
      '_ZZ1fvENKUlT_E_clIiEEDaS_',
      '_Z1fIiEDTquLb1Efp_fp_ES0_',
      '_Z1fIiEDTsrNT_1aE1xES0_',
      '_Z1fIiEDTfLplLi0Efp_ES0_',
      '_Z1fIiEDTtlT_fp_EES0_',
      '_Z1fIiEDTatT_ES1_',
      '_Z1fv.part.0.isra.0',
      '_Z1fv.lto_priv.0',
      '_Z1fv.Foo',
      '_Z',
      '_Z1',
      '_ZN1fE',
      'main',
    ];
    const r = compare(names);
    report('hand-written', r);
    expect(r.wrong).toEqual([]);
    expect(r.unsupported).toEqual([]);
  });
});

describe('demangle matches gcov', () => {
  it("gives gcov's demangled_name (short std:: names) for every function gcov reports", () => {
    const dir = mkdtempSync(join(work, 'gcov-'));
    const sources: Record<string, string> = {
      'edge.cpp': readFileSync(join(process.cwd(), 'test/fixtures/engine/edge.cpp'), 'utf8'),
      'strings.cpp': GCOV_SOURCE,
    };
    let functions = 0;
    for (const [name, src] of Object.entries(sources)) {
      writeFileSync(join(dir, name), src);
      const exe = name.replace(/\.cpp$/, '');
      run(GXX, ['-D_GLIBCXX_USE_CXX11_ABI=0', '--coverage', '-O0', name, '-o', exe], { cwd: dir });
      run(`./${exe}`, [], { cwd: dir });
      const json = JSON.parse(run(GCOV, ['--json-format', '--stdout', `${exe}.gcda`], { cwd: dir })) as {
        files: { functions: { name: string; demangled_name: string }[] }[];
      };
      for (const file of json.files) {
        for (const fn of file.functions) {
          functions++;
          expect(demangle(fn.name) ?? fn.name, fn.name).toBe(fn.demangled_name);
        }
      }
    }
    expect(functions).toBeGreaterThan(20);
  });

  // lambdas as template arguments: std algorithms, std::function, a class template's member
  for (const major of [9, 10, 11, 12, 13, 14, 15])
    it(`gives gcov-${major}'s demangled_name for lambdas in templates (g++-${major})`, () => {
      const dir = mkdtempSync(join(work, `lambda${major}-`));
      writeFileSync(join(dir, 'lambdas.cpp'), LAMBDA_SOURCE);
      const gxx = gccTool(major, 'g++');
      run(gxx, ['--coverage', '-O0', '-std=gnu++17', '-c', 'lambdas.cpp', '-o', 'lambdas.o'], { cwd: dir });
      run(gxx, ['--coverage', 'lambdas.o', '-o', 'lambdas'], { cwd: dir });
      run('./lambdas', [], { cwd: dir });
      const format = readGcno(new Uint8Array(readFileSync(join(dir, 'lambdas.gcno'))), 'lambdas.gcno').format;
      const json = JSON.parse(
        run(gccTool(major, 'gcov'), ['--json-format', '--stdout', 'lambdas.gcda'], { cwd: dir }),
      ) as { files: { functions: { name: string; demangled_name: string }[] }[] };
      const names = json.files.flatMap((f) => f.functions);
      const opts = { closureSubstitution: format.demanglerClosureSubstitution };
      for (const fn of names) expect(demangle(fn.name, opts) ?? fn.name, fn.name).toBe(fn.demangled_name);
      // the numbering matters here: the other one names other types
      const other = { closureSubstitution: !opts.closureSubstitution };
      expect(names.filter((fn) => demangle(fn.name, other) !== fn.demangled_name).length).toBeGreaterThan(0);
      expect(names.length).toBeGreaterThan(30);
    });
});

const LAMBDA_SOURCE = `
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

template <typename T> struct holder {
  std::vector<T> items;
  template <typename F> int count_if(F f) const { return (int)std::count_if(items.begin(), items.end(), f); }
};

volatile int sink;

static bool contains_newline(const char *b, const char *e) {
  return std::any_of(b, e, [](char c) { return c == '\\n' || c == '\\r'; });
}

int main() {
  std::vector<int> v{5, 3, 9, 1};
  std::sort(v.begin(), v.end(), [](int a, int b) { return a > b; });
  int limit = 4;
  auto it = std::find_if(v.begin(), v.end(), [limit](int x) { return x < limit; });
  std::function<int(const std::string &)> len = [](const std::string &s) { return (int)s.size(); };
  holder<int> h{v};
  int n = h.count_if([&](int x) { return x > limit; });
  std::string text = "a\\nb";
  sink = (it != v.end()) + len(text) + n + contains_newline(text.data(), text.data() + text.size());
  return 0;
}
`;
