# Sourced by windows-build.sh and release.sh: the app's name, ID, version
# and build number from FyneApp.toml, and what goes into `zonewalk version`.
#
#   ZONEWALK_VERSION  version to stamp (default: Version in FyneApp.toml)
#   ZONEWALK_COMMIT   commit (default: git HEAD, "+dirty" when the tree has changes)
#   ZONEWALK_DATE     build date (default: SOURCE_DATE_EPOCH if set, else now; UTC)

# toml_get KEY: the value of KEY = "…" or KEY = N in FyneApp.toml.
toml_get() {
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\{0,1\}\([^\"]*\)\"\{0,1\}[[:space:]]*$/\1/p" FyneApp.toml | head -n 1
}

app_name=$(toml_get Name)
app_id=$(toml_get ID)
app_build=$(toml_get Build)
app_icon=$(toml_get Icon)
app_version=${ZONEWALK_VERSION:-$(toml_get Version)}
app_version=${app_version#v}
if [ -z "${ZONEWALK_COMMIT:-}" ]; then
  ZONEWALK_COMMIT=$(git rev-parse HEAD 2>/dev/null || echo unknown)
  if [ "$ZONEWALK_COMMIT" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    ZONEWALK_COMMIT+="+dirty"
  fi
fi
if [ -z "${ZONEWALK_DATE:-}" ]; then
  ZONEWALK_DATE=$(date -u ${SOURCE_DATE_EPOCH:+-d "@$SOURCE_DATE_EPOCH"} +%Y-%m-%dT%H:%M:%SZ)
fi
# -s -w: no symbol table or DWARF (a third smaller); the -X values feed
# `zonewalk version` (app/cli/version.go).
app_ldflags="-s -w -X github.com/zonewalk/zonewalk/app/cli.version=$app_version -X github.com/zonewalk/zonewalk/app/cli.commit=$ZONEWALK_COMMIT -X github.com/zonewalk/zonewalk/app/cli.date=$ZONEWALK_DATE"

# The tags `fyne package --release` would set: Fyne's release mode, and the
# fyne.Do threading that FyneApp.toml migrates to. (main.go sets the
# metadata that fyne package would inject.)
app_tags=release,migrated_fynedo

# go_build ARGS: go build -trimpath -tags $app_tags ARGS, tried twice: with
# other go commands sharing the build cache, a cold build here now and then
# fails with "could not import P (open : no such file or directory)" for a
# package that builds (as golang/go#73368); the second try finds the cache whole.
go_build() {
  go build -trimpath -tags "$app_tags" "$@" && return 0
  echo "go build failed; trying once more" >&2
  go build -trimpath -tags "$app_tags" "$@"
}

# copy_tree DIR: the working tree (tracked and new files, not ignored ones)
# into DIR, so a build can add generated files (the Windows resource) there
# without touching the shared tree. Builds use -trimpath, so the copy's
# location changes no build cache key.
copy_tree() {
  mkdir -p "$1"
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard |
      tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$1"
  else
    tar --exclude=./dist --exclude=./.git -cf - . | tar -xf - -C "$1"
  fi
}

# check_exe EXE SUBSYSTEM: a PE32+ executable for x86-64 with the subsystem
# (2 Windows GUI, 3 console), an icon (resource types 3 and 14), a version
# resource (16) and a manifest (24). Needs file and the mingw objdump.
check_exe() {
  local exe=$1 want=$2 desc p t types
  desc=$(file -b "$exe")
  [[ $desc == "PE32+ executable"*"x86-64"* ]] || { echo "$exe: not a PE32+ x86-64 executable: $desc" >&2; return 1; }
  p=$(x86_64-w64-mingw32-objdump -p "$exe")
  grep -Eq "^Subsystem[[:space:]]+0+$want[[:space:]]" <<<"$p" || { echo "$exe: subsystem is not $want: $(grep ^Subsystem <<<"$p")" >&2; return 1; }
  # Resource types are the first level of the .rsrc tree objdump prints.
  types=$(sed -n '/The .rsrc Resource Directory section/,$p' <<<"$p" |
    sed -n 's/^[0-9a-f]*   Entry: ID: 0x\([0-9a-f]*\),.*/\1/p' | while read -r h; do echo $((16#$h)); done | tr '\n' ' ')
  for t in 3 14 16 24; do
    [[ " $types" == *" $t "* ]] || { echo "$exe: no resource of type $t (3 icon, 14 icon group, 16 version, 24 manifest); has: $types" >&2; return 1; }
  done
  # The version resource is UTF-16; its strings name the product and version.
  iconv -f UTF-16LE -t UTF-8 -c <"$exe" | grep -a "ProductVersion" >/dev/null || { echo "$exe: version resource has no ProductVersion" >&2; return 1; }
  printf '%s: %s, subsystem %s, %s bytes\n' "$(basename "$exe")" "$desc" "$want" "$(stat -c %s "$exe")"
}
