/** Until the report views land, the page says what hvcov does and what is coming. */
export function App() {
  return (
    <main
      style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '44rem', margin: '3rem auto', lineHeight: 1.5 }}
    >
      <h1>hvcov</h1>
      <p>
        Turns the memory image of a bare-metal program built with <code>gcc --coverage</code> (first of all
        the Jailhouse hypervisor's <code>/sys/devices/jailhouse/core</code>) into standard gcov data and
        coverage reports.
      </p>
      <p>
        Available now: <code>npx hvcov extract IMAGE --out DIR</code> writes the <code>.gcda</code> files held
        in an image, byte-identical to what libgcov writes, for GCC 9 to 15 on x86-64, arm64, arm, powerpc and
        s390x.
      </p>
      <p>
        Coming next in this page: drop an image and a build tree, download the .gcda zip, read an annotated
        report.
      </p>
    </main>
  );
}
