#!/usr/bin/env bash
# Installs a built Linux bundle (dist/strapline from packaging/strapline.spec) for one user or,
# as root with --system, for every user; registers the app, its icon and the .strapline files.
#   bash packaging/linux/install.sh [--system] [--uninstall] [BUNDLE_DIR]
# Per user: the bundle goes to ~/.local/opt/strapline, the commands `strapline` and
# `strapline-app` to ~/.local/bin, and XDG_DATA_HOME (default ~/.local/share) receives the
# .desktop file, the icons and the MIME type. With --system: /opt/strapline, /usr/local/bin and
# /usr/local/share.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
system=0; uninstall=0; bundle=""
for arg in "$@"; do
    case "$arg" in
        --system) system=1 ;;
        --uninstall) uninstall=1 ;;
        -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "install.sh: unknown option $arg" >&2; exit 1 ;;
        *) bundle="$arg" ;;
    esac
done
bundle="${bundle:-$here/../../dist/strapline}"
if [ "$system" = 1 ]; then
    opt=/opt/strapline; bin=/usr/local/bin; share=/usr/local/share
else
    opt="$HOME/.local/opt/strapline"; bin="$HOME/.local/bin"; share="${XDG_DATA_HOME:-$HOME/.local/share}"
fi

refresh() {
    if command -v update-mime-database >/dev/null 2>&1; then update-mime-database "$share/mime" || true; fi
    if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database "$share/applications" || true; fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t "$share/icons/hicolor" || true; fi
}

if [ "$uninstall" = 1 ]; then
    rm -rf "$opt"
    rm -f "$bin/strapline" "$bin/strapline-app" "$share/applications/strapline.desktop" \
          "$share/mime/packages/strapline.xml"
    for png in "$share"/icons/hicolor/*/apps/strapline.png; do rm -f "$png"; done
    refresh
    echo "Strapline removed from $opt"
    exit 0
fi

if [ ! -x "$bundle/strapline" ] || [ ! -x "$bundle/strapline-app" ]; then
    echo "install.sh: no bundle at $bundle (build it: pyinstaller --noconfirm packaging/strapline.spec)" >&2
    exit 1
fi
# Copy beside the old install, then swap, so a failed copy leaves the old one working.
mkdir -p "$(dirname "$opt")" "$bin" "$share/applications" "$share/mime/packages"
rm -rf "$opt.new"
cp -a "$bundle" "$opt.new"
rm -rf "$opt.old"
if [ -e "$opt" ]; then mv "$opt" "$opt.old"; fi
mv "$opt.new" "$opt"
rm -rf "$opt.old"
ln -sfn "$opt/strapline" "$bin/strapline"
ln -sfn "$opt/strapline-app" "$bin/strapline-app"
sed "s|^Exec=strapline-app|Exec=$opt/strapline-app|; s|^TryExec=strapline-app|TryExec=$opt/strapline-app|" \
    "$here/strapline.desktop" > "$share/applications/strapline.desktop"
cp "$here/strapline-mime.xml" "$share/mime/packages/strapline.xml"
for dir in "$here"/../icon/hicolor/*/apps; do
    size="$(basename "$(dirname "$dir")")"
    mkdir -p "$share/icons/hicolor/$size/apps"
    cp "$dir/strapline.png" "$share/icons/hicolor/$size/apps/strapline.png"
done
refresh
echo "Strapline installed in $opt; commands in $bin"
case ":$PATH:" in *":$bin:"*) ;; *) echo "Add $bin to your PATH to run 'strapline' from a shell." ;; esac
