"""Builds wheels from Debian python3-* packages extracted with `dpkg -x`.

A stand-in for PyPI on machines that reach only Debian's archive: each extracted
package's dist-packages content becomes a wheel with a minimal dist-info (METADATA from
Debian's egg-info, WHEEL, RECORD, entry_points.txt). Debian's egg-info carries no
Requires-Dist, so the fixtures pin every dependency, as pip-compiled requirements do.

usage: make-wheels.py EXTRACTED_ROOTS_DIR WHEELHOUSE
"""
import base64
import configparser
import hashlib
import os
import re
import sys
import zipfile


def read_metadata(dist_packages):
    for entry in os.listdir(dist_packages):
        path = os.path.join(dist_packages, entry)
        if entry.endswith(".egg-info") or entry.endswith(".dist-info"):
            info = path if os.path.isfile(path) else None
            if info is None:
                for name in ("PKG-INFO", "METADATA"):
                    if os.path.isfile(os.path.join(path, name)):
                        info = os.path.join(path, name)
            entry_points = os.path.join(path, "entry_points.txt") if os.path.isdir(path) else None
            with open(info, encoding="utf-8") as handle:
                text = handle.read()
            name = re.search(r"^Name: (.+)$", text, re.M).group(1).strip()
            version = re.search(r"^Version: (.+)$", text, re.M).group(1).strip()
            return entry, name, version, text, entry_points
    raise SystemExit(f"no egg-info or dist-info in {dist_packages}")


def files_to_pack(dist_packages, skip, root):
    for current, dirs, files in os.walk(dist_packages):
        dirs[:] = [d for d in dirs if os.path.join(current, d) != os.path.join(dist_packages, skip) and d != "__pycache__"]
        for name in files:
            path = os.path.join(current, name)
            if os.path.islink(path):
                target = os.readlink(path)
                resolved = os.path.join(root, target.lstrip("/")) if os.path.isabs(target) else os.path.join(current, target)
                if not os.path.exists(resolved):
                    continue  # Debian links vendored files to other packages: skip broken links
                path = resolved
            yield os.path.relpath(os.path.join(current, name), dist_packages), path


def build(root, wheelhouse):
    dist_packages = os.path.join(root, "usr/lib/python3/dist-packages")
    if not os.path.isdir(dist_packages):
        return None
    info_entry, name, version, metadata, entry_points = read_metadata(dist_packages)
    files = list(files_to_pack(dist_packages, info_entry, root))
    compiled = any(rel.endswith(".so") for rel, _ in files)
    tag = "cp311-cp311-linux_x86_64" if compiled else "py3-none-any"
    dist = re.sub(r"[-_.]+", "_", name)
    wheel_name = f"{dist}-{version}-{tag}.whl"
    info_dir = f"{dist}-{version}.dist-info"
    record = []
    with zipfile.ZipFile(os.path.join(wheelhouse, wheel_name), "w", zipfile.ZIP_DEFLATED) as wheel:
        def add(arcname, data):
            wheel.writestr(arcname, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{arcname},sha256={digest},{len(data)}")

        for rel, path in files:
            with open(path, "rb") as handle:
                add(rel, handle.read())
        metadata = re.sub(r"^Metadata-Version: .*$", "Metadata-Version: 2.1", metadata, count=1, flags=re.M)
        add(f"{info_dir}/METADATA", metadata.encode())
        add(f"{info_dir}/WHEEL", f"Wheel-Version: 1.0\nGenerator: make-wheels\nRoot-Is-Purelib: {'false' if compiled else 'true'}\nTag: {tag}\n".encode())
        if entry_points and os.path.isfile(entry_points):
            parser = configparser.ConfigParser()
            parser.read(entry_points)
            with open(entry_points, "rb") as handle:
                add(f"{info_dir}/entry_points.txt", handle.read())
        record.append(f"{info_dir}/RECORD,,")
        wheel.writestr(f"{info_dir}/RECORD", "\n".join(record) + "\n")
    return wheel_name


def main():
    roots, wheelhouse = sys.argv[1], sys.argv[2]
    os.makedirs(wheelhouse, exist_ok=True)
    for entry in sorted(os.listdir(roots)):
        built = build(os.path.join(roots, entry), wheelhouse)
        if built:
            print(f"built {built}")


if __name__ == "__main__":
    main()
