"""Rules reported by the front end while reading files. The functions here only carry their documentation;
the diagnostics come from the parser (`planlang.syntax`), the builder (`planlang.model.build`) and the file
reader (`planlang.workspace`)."""


def syntax_error() -> None:
    """PL001 — syntax error.

    What it checks: the text has the shape of a `.plan` file: blocks `关键字 标识 “标题” { … }`, directives
    `引用 “x.plan”`, fields `字段：值` one per line or separated by `；`, braces that close.

    Why it matters: a slip must never hide the rest of the file. The parser recovers and goes on, so every
    syntax error in a file is reported, each with its line and column (at most one per line).

    Example (fails):   `牵头 区发改局`        (the colon is missing)
    Example (passes):  `牵头：区发改局`

    How to fix: add what the message says is expected — usually a `：` after a field name or a closing `}`.
    """


def unknown_keyword() -> None:
    """PL002 — unknown keyword or field name, with "did you mean".

    What it checks: every block keyword (方案 目标 任务 机制 单位 文本 引用, or plan goal task …) and every field
    name is in the bilingual keyword table, and each field is one its block accepts (成员 belongs to 机制, not
    to 任务).

    Why it matters: a misspelt field is silently ignored in Word; here it would lose an owner or a deadline.

    Example (fails):   `牵投：区发改局`
    Example (passes):  `牵头：区发改局`

    How to fix: use the suggested spelling; `docs/language.md` lists every keyword in both languages.
    """


def malformed_value() -> None:
    """PL003 — malformed value: quantity, date, enum or cadence.

    What it checks: quantities read as a number with a unit of measure (`力争突破 52亿元`, `8%以上`), deadlines
    as a date, ongoing or recurring form (`2023年6月底前`, `年底前`, `长期坚持`, `每季度`), kinds as one of the
    listed values, cadences as a period with an action (`旬调度`, `月通报`, `每季度`).

    Why it matters: a value that cannot be read cannot be checked, summed or put in the 任务分工表.

    Example (fails):   `时限：尽快`
    Example (passes):  `时限：2023年6月底前`

    How to fix: write the value in one of the forms of `docs/language.md`, section 3.
    """


def not_utf8() -> None:
    """PL004 — the file is not UTF-8.

    What it checks: the file decodes as UTF-8 (a UTF-8 BOM is accepted).

    Why it matters: Word and older Windows editors save Chinese text as GBK/GB18030; such a file would read as
    garbage. The message says when a file looks like GBK/GB18030.

    How to fix: convert it, e.g. `iconv -f GB18030 -t UTF-8 old.plan > new.plan`, or save as UTF-8.
    """


def bad_include() -> None:
    """PL005 — include not found, include cycle, or include outside the workspace.

    What it checks: `引用 “x.plan”` names a file that exists, relative to the including file, inside the
    workspace root (the folder with planlang.toml, pyproject.toml or .git), that can be read, and that does not
    include — directly or through others — the file that includes it. A path the file system rejects (a NUL
    character, a name too long, a symbolic link that loops) is reported here too.

    Why it matters: a district keeps one unit registry for all its plans; a broken include makes every unit
    look undefined.

    Example (fails):   `引用 “../../other/units.plan”`  (outside the workspace)
    Example (passes):  `引用 “nanhu-units.plan”`

    How to fix: correct the path, or move the file into the workspace; break the cycle.
    """


def unused_suppression() -> None:
    """PL006 — unused suppression comment (info).

    What it checks: every `# planlang: ignore[PL105]` (or bare `# planlang: ignore`) comment suppresses at
    least one diagnostic on its line.

    Why it matters: a suppression left behind after the problem was fixed would silently hide the next real
    problem on that line.

    Example (reported):  `单位 区统计局  # planlang: ignore[PL105]` when 区统计局 is used
    How to fix: delete the comment.
    """
