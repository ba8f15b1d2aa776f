#!/bin/sh
# Install lcov 2 (lcov, geninfo, genhtml) from Debian's newer suites into a
# private prefix, without touching the system's apt setup or its lcov 1.16,
# and make wrappers that run it with bookworm's perl.
#
#   debian-lcov.sh [PREFIX]          PREFIX defaults to /opt/debian-lcov
#   prints PREFIX/bin, which holds lcov, geninfo and genhtml (lcov 2)
#
# lcov is Perl and arch:all: the newest of trixie's and forky's is unpacked
# as it is. Its XS modules (DateTime, PerlIO::gzip, JSON::XS) come from
# bookworm's own packages, which scripts/install-deps.sh installs with apt;
# the pure-Perl ones (Capture::Tiny, Date::Parse, JSON) too.  The wrappers put
# the prefix's lcovutil.pm first on perl's path and point LCOV_HOME at the
# prefix, so lcov 2 reads its own etc/lcovrc and never /etc/lcovrc (lcov
# 1.16's).  One line of lcovutil.pm names /usr/share/lcov for its version
# script; it is pointed into the prefix.  Re-running is cheap.
set -eu
top=${1:-/opt/debian-lcov}
[ -x "$top/bin/lcov" ] && { echo "$top/bin"; exit 0; }
state=$top/apt
R=$top/root
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$state/parts" \
  "$top/debs" "$R" "$top/bin"
key=/usr/share/keyrings/debian-archive-keyring.gpg
: > "$state/sources.list"
for s in trixie forky; do
  echo "deb [signed-by=$key] http://deb.debian.org/debian $s main" >> "$state/sources.list"
done
o="-oDir::State::Lists=$state/lists -oDir::Etc::SourceList=$state/sources.list"
o="$o -oDir::Etc::SourceParts=$state/parts -oDir::Cache=$state/cache -oDebug::NoLocking=1"
[ -e "$state/lists/.updated" ] || { apt-get $o -qq update >/dev/null; touch "$state/lists/.updated"; }
cd "$top/debs"
rm -f ./*.deb
apt-get $o -qq download lcov 2>/dev/null
dpkg -x lcov_*.deb "$R"
sed -i "s#/usr/share/lcov/support-scripts/#$R/usr/share/lcov/support-scripts/#" \
  "$R/usr/share/perl5/lcovutil.pm"
for t in lcov geninfo genhtml; do
  printf '#!/bin/sh\nexport PERL5LIB=%s/usr/share/perl5${PERL5LIB:+:$PERL5LIB}\nexport LCOV_HOME=%s\nexec %s/usr/bin/%s "$@"\n' \
    "$R" "$R" "$R" "$t" > "$top/bin/$t"
done
chmod +x "$top/bin/"*
"$top/bin/lcov" --version >/dev/null
echo "$top/bin"
