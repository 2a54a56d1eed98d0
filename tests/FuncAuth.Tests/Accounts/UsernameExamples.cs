namespace FuncAuth.Tests.Accounts;

/// <summary>Names the rules accept and refuse, shared by the unit tests and the key stability check.</summary>
public static class UsernameExamples
{
    /// <summary>Accepted names, in groups whose members are one name; every group is a different name.</summary>
    public static readonly string[][] SameNameGroups =
    [
        ["alice", "ALICE", "  Alice\t", "\uFF41\uFF4C\uFF49\uFF43\uFF45"], // padding and full-width letters too
        ["Alice Smith", "alice smith", "alice\u00A0SMITH", "Alice\u3000Smith"], // no-break and ideographic spaces are spaces
        ["a/b\\c#d?"], // characters Table Storage forbids in keys
        ["stra\u00DFe", "STRA\u1E9EE", "STRASSE", "Strasse"], // ß and ẞ fold to ss
        ["Caf\u00E9", "Cafe\u0301", "CAF\u00C9"], // composed and decomposed accents
        ["\u03A3\u03BF\u03C6\u03AF\u03B1", "\u03C3\u03BF\u03C6\u03AF\u03B1", "\u03A3\u039F\u03A6\u038A\u0391"], // Σοφία σοφία ΣΟΦΊΑ
        ["\u03A3", "\u03C3", "\u03C2"], // Σ σ ς: final sigma folds alike
        ["\u0414\u043C\u0438\u0442\u0440\u0438\u0439", "\u0414\u041C\u0418\u0422\u0420\u0418\u0419"], // Дмитрий ДМИТРИЙ
        ["\u5C71\u7530\u592A\u90CE"], // 山田太郎
        ["\uD55C\uAD6D\uC5B4", "\u1112\u1161\u11AB\u1100\u116E\u11A8\u110B\u1165"], // 한국어, as syllables and as jamo
        ["\u0926\u0947\u0935\u0928\u093E\u0917\u0930\u0940"], // देवनागरी: vowel signs are combining marks
        ["\u0939\u093F\u0928\u094D\u0926\u0940"], // हिन्दी: with a virama
        ["\u0645\u062D\u0645\u062F"], // محمد
        ["\u0E2A\u0E21\u0E0A\u0E32\u0E22"], // สมชาย
        ["\u13E3\u13B3\u13A9", "\uABB3\uAB83\uAB79"], // ᏣᎳᎩ: Cherokee folds to its capitals
        ["\u0264"], // ɤ: ICU 72 and Unicode 16 upper-case it differently; folding leaves it alone
        ["\u019B"], // ƛ: likewise
        ["\u0130stanbul", "i\u0307STANBUL"], // İ folds to i and a combining dot
        ["\u01F0", "J\u030C"], // ǰ folds to j and a caron, which normalise back to ǰ
        ["\u1FB3", "\u03B1\u03B9", "\u0391\u0399"], // ᾳ folds to αι
        ["\u212A", "k", "K"], // the Kelvin sign is K
        ["\uFB03", "ffi"], // the ﬃ ligature
        ["\uD83D\uDE00"], // 😀
        ["bob\uD83D\uDC4D\uD83C\uDFFD"], // bob👍🏽, with a skin tone modifier
        ["x\u1680y"], // Ogham space mark: a visible space
        ["\u4E2D\u6587 \u0440\u0443\u0441 english"], // mixed scripts and inner spaces
    ];

    public static IEnumerable<string> Accepted => SameNameGroups.SelectMany(group => group);

    public static TheoryData<string> AcceptedNames() => [.. Accepted];

    /// <summary>Refused names and the reason each is given.</summary>
    public static TheoryData<string, string> Refused() => new()
    {
        { "", "The username is required." },
        { "   ", "The username is required." },
        { "\t\r\n", "The username is required." },
        { "\u00A0\u3000\u2003", "The username is required." }, // spaces only, after normalisation
        { new string('a', 65), "The username must be at most 64 characters." },
        { new string('\u00E9', 65), "The username must be at most 64 characters." },
        { "a\u0000b", "The username contains a control character (U+0000)." },
        { "a\u0001b", "The username contains a control character (U+0001)." },
        { "a\tb", "The username contains a control character (U+0009)." },
        { "a\u007Fb", "The username contains a control character (U+007F)." },
        { "a\u0085b", "The username contains a control character (U+0085)." },
        { "a\u009Fb", "The username contains a control character (U+009F)." },
        { "\u00B4alice", "The username contains an accent or other combining mark with no letter before it (U+0301)." },
        { "\u0301alice", "The username contains an accent or other combining mark with no letter before it (U+0301)." },
        { "bob \u00A8", "The username contains an accent or other combining mark with no letter before it (U+0308)." },
        { "a\u200Bb", "The username contains an invisible or formatting character (U+200B)." }, // zero-width space
        { "a\u200Cb", "The username contains an invisible or formatting character (U+200C)." }, // ZWNJ
        { "a\u200Db", "The username contains an invisible or formatting character (U+200D)." }, // ZWJ
        { "a\u00ADb", "The username contains an invisible or formatting character (U+00AD)." }, // soft hyphen
        { "\uFEFFalice", "The username contains an invisible or formatting character (U+FEFF)." }, // byte order mark
        { "admin\u202Egnp.exe", "The username contains an invisible or formatting character (U+202E)." }, // right-to-left override
        { "a\u2066b\u2069", "The username contains an invisible or formatting character (U+2066)." }, // isolates
        { "\u2764\uFE0F", "The username contains an invisible or formatting character (U+FE0F)." }, // variation selector
        { "\u3164", "The username contains an invisible or formatting character (U+1160)." }, // Hangul filler
        { "a\uDB40\uDC41", "The username contains an invisible or formatting character (U+E0041)." }, // tag character
        { "\u0600", "The username contains an invisible or formatting character (U+0600)." }, // Cf, though visible
        { "a\uFFFFb", "The username contains a noncharacter (U+FFFF)." },
        { "a\uFDD0b", "The username contains a noncharacter (U+FDD0)." },
        { "a\uD83F\uDFFE", "The username contains a noncharacter (U+1FFFE)." },
        { "\u0378", "The username contains a character unassigned in Unicode 15.0.0 (U+0378)." },
        { "\uA7CB", "The username contains a character unassigned in Unicode 15.0.0 (U+A7CB)." }, // Ɤ: Unicode 16
        { "\uA7DC", "The username contains a character unassigned in Unicode 15.0.0 (U+A7DC)." }, // Ƛ: Unicode 16
        { "a\uE000b", "The username contains a private-use character (U+E000)." },
        { "a\uDB80\uDC00", "The username contains a private-use character (U+F0000)." },
        { "a\u2028b", "The username contains a line or paragraph separator (U+2028)." },
    };
}
