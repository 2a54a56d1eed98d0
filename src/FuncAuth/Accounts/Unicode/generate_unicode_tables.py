#!/usr/bin/env python3
"""Writes UnicodeTables.g.cs: the Unicode data usernames are normalised, checked and folded with.

The tables are pinned to one Unicode version so that a name's key never changes under the app, whatever
ICU or .NET the host runs. Regenerating them from another version changes keys: bump Username.KeyScheme
and migrate stored users when doing so.

Usage: python3 generate_unicode_tables.py [UCD directory, default /usr/share/unicode]
(Debian's unicode-data package installs the Unicode 15.0 character database there.)
"""

import os
import sys

EXPECTED_VERSION = "15.0.0"
MAX_CODE_POINT = 0x10FFFF

# Kinds of code point, as Username reads them (see CodePointKind.cs; the numbers must match).
ALLOWED, COMBINING_MARK, CONTROL, SURROGATE, NONCHARACTER, UNASSIGNED, PRIVATE_USE, FORMAT, SEPARATOR = range(9)

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3


def data_lines(path):
    """The data of a UCD file: each line's fields, without comments and blank lines."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                yield [field.strip() for field in line.split(";")]


def code_point_range(text):
    first, _, last = text.partition("..")
    return range(int(first, 16), int(last or first, 16) + 1)


def check_version(ucd, name):
    with open(os.path.join(ucd, name), encoding="utf-8") as f:
        header = f.readline()
    if f"-{EXPECTED_VERSION}.txt" not in header:
        sys.exit(f"{name} is not from Unicode {EXPECTED_VERSION}: {header.strip()}")


def property_set(path, name):
    found = set()
    for fields in data_lines(path):
        if fields[1] == name:
            found.update(code_point_range(fields[0]))
    return found


def read_unicode_data(path):
    """General category, combining class and decomposition mapping of every assigned code point."""
    category, ccc, decomposition = {}, {}, {}
    first = None
    for fields in data_lines(path):
        cp, name, gc, cc, mapping = int(fields[0], 16), fields[1], fields[2], int(fields[3]), fields[5]
        if name.endswith(", First>"):
            first = cp
            continue
        for c in range(first, cp + 1) if name.endswith(", Last>") else [cp]:
            category[c] = gc
            if cc:
                ccc[c] = cc
        first = None
        if mapping:
            tag = mapping.startswith("<")
            parts = mapping.split()[1:] if tag else mapping.split()
            decomposition[cp] = (tag, [int(p, 16) for p in parts])
    return category, ccc, decomposition


def full_decomposition(cp, decomposition):
    """The compatibility decomposition, applied until nothing decomposes further (Hangul is algorithmic)."""
    if cp not in decomposition:
        return [cp]
    return [d for part in decomposition[cp][1] for d in full_decomposition(part, decomposition)]


def kind_of(cp, category, noncharacters, ignorable):
    gc = category.get(cp, "Cn")
    if gc == "Cc":
        return CONTROL
    if gc == "Cs":
        return SURROGATE
    if cp in noncharacters:
        return NONCHARACTER
    if gc == "Cn":
        return UNASSIGNED
    if gc == "Co":
        return PRIVATE_USE
    if cp in ignorable or gc == "Cf":
        return FORMAT
    if gc in ("Zl", "Zp"):
        return SEPARATOR
    if gc in ("Mn", "Mc", "Me"):
        return COMBINING_MARK
    return ALLOWED


def span(type_name, name, values, comment):
    """A read-only span over a static array: a span property of constants would be cheaper to load,
    but without JIT optimisation (Debug builds, so the tests) every access costs a runtime call."""
    per_line = 12
    field = name + "Array"
    lines = [f"    // {comment}", f"    public static ReadOnlySpan<{type_name}> {name} => {field};", "",
             f"    private static readonly {type_name}[] {field} =", "    ["]
    for i in range(0, len(values), per_line):
        lines.append("        " + ", ".join(f"0x{v:X}" for v in values[i:i + per_line]) + ",")
    lines.append("    ];")
    return "\n".join(lines)


def main():
    ucd = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"
    for name in ("DerivedCoreProperties.txt", "PropList.txt", "DerivedNormalizationProps.txt", "CaseFolding.txt"):
        check_version(ucd, name)
    category, ccc, decomposition = read_unicode_data(os.path.join(ucd, "UnicodeData.txt"))
    ignorable = property_set(os.path.join(ucd, "DerivedCoreProperties.txt"), "Default_Ignorable_Code_Point")
    noncharacters = property_set(os.path.join(ucd, "PropList.txt"), "Noncharacter_Code_Point")
    white_space = sorted(property_set(os.path.join(ucd, "PropList.txt"), "White_Space"))
    exclusions = property_set(os.path.join(ucd, "DerivedNormalizationProps.txt"), "Full_Composition_Exclusion")

    # Kind and combining class of every code point, as ranges of equal values: kind | ccc << 8.
    range_starts, range_values, previous = [], [], None
    for cp in range(MAX_CODE_POINT + 1):
        value = kind_of(cp, category, noncharacters, ignorable) | ccc.get(cp, 0) << 8
        if value != previous:
            range_starts.append(cp)
            range_values.append(value)
            previous = value

    decomposed = sorted(cp for cp in decomposition if not HANGUL_FIRST <= cp <= HANGUL_LAST)
    decomposition_starts, decomposition_data = [], []
    for cp in decomposed:
        decomposition_starts.append(len(decomposition_data))
        decomposition_data.extend(full_decomposition(cp, decomposition))
    decomposition_starts.append(len(decomposition_data))

    # Primary composites: canonical pairs that NFC recomposes, keyed by first << 21 | second.
    compositions = sorted(
        (parts[0] << 21 | parts[1], cp)
        for cp, (tag, parts) in decomposition.items()
        if not tag and len(parts) == 2 and cp not in exclusions)

    # Full default case folding: statuses C and F (T is Turkic-only, S is the simple variant of F).
    folds = {}
    for fields in data_lines(os.path.join(ucd, "CaseFolding.txt")):
        if fields[1] in ("C", "F"):
            folds[int(fields[0], 16)] = [int(p, 16) for p in fields[2].split()]
    folded = sorted(folds)
    fold_starts, fold_data = [], []
    for cp in folded:
        fold_starts.append(len(fold_data))
        fold_data.extend(folds[cp])
    fold_starts.append(len(fold_data))

    out = f"""// <auto-generated>
// Generated by src/FuncAuth/Accounts/Unicode/generate_unicode_tables.py from the Unicode {EXPECTED_VERSION} character
// database (UnicodeData.txt, DerivedCoreProperties.txt, PropList.txt, DerivedNormalizationProps.txt,
// CaseFolding.txt). Do not edit: run the script. Other data changes usernames' keys (see Username.KeyScheme).
// </auto-generated>

namespace FuncAuth.Accounts.Unicode;

internal static class UnicodeTables
{{
    public const string Version = "{EXPECTED_VERSION}";

{span("int", "RangeStarts", range_starts, "First code point of each range of code points with one kind and combining class.")}

{span("ushort", "RangeValues", range_values, "Per range: CodePointKind | canonical combining class << 8.")}

{span("int", "DecompositionKeys", decomposed, "Code points with a decomposition mapping (Hangul syllables are algorithmic), sorted.")}

{span("ushort", "DecompositionStarts", decomposition_starts, "Where each one's full compatibility decomposition starts in DecompositionData; one extra end.")}

{span("int", "DecompositionData", decomposition_data, "Full compatibility decompositions, one after another.")}

{span("long", "CompositionKeys", [k for k, _ in compositions], "Canonical pairs that compose (first << 21 | second), sorted.")}

{span("int", "CompositionValues", [v for _, v in compositions], "The primary composite of each pair.")}

{span("int", "FoldKeys", folded, "Code points that full case folding (statuses C and F) changes, sorted.")}

{span("ushort", "FoldStarts", fold_starts, "Where each one's folding starts in FoldData; one extra end.")}

{span("int", "FoldData", fold_data, "Case foldings, one after another.")}

{span("int", "WhiteSpace", white_space, "White_Space code points, sorted.")}
}}
"""
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "UnicodeTables.g.cs")
    with open(target, "w", encoding="utf-8", newline="\n") as f:
        f.write(out)
    print(f"{target}: {len(range_starts)} ranges, {len(decomposed)} decompositions "
          f"({len(decomposition_data)} code points), {len(compositions)} compositions, {len(folded)} foldings")


if __name__ == "__main__":
    main()
