"""Rules reported by the front end while reading files. The functions here only carry their documentation;
the diagnostics come from the parser (`planlang.syntax`, worded by `planlang.syntax.errors`), the builder
(`planlang.model.build`) and the file reader (`planlang.workspace`)."""


def syntax_error() -> None:
    """PL001 — syntax error.

    What it checks: the text has the shape of a `.plan` file: blocks `关键字 标识 “标题” { … }`, directives
    `引用 “x.plan”`, fields `字段：值` one per line or separated by `；`, braces that close.

    Why it matters: a slip must never hide the rest of the file. The parser recovers and goes on, so every
    syntax error in a file is reported, each with its line and column (at most one per line).

    Example (fails):   `牵头 区发改局`        (the colon is missing)
    Example (passes):  `牵头：区发改局`

    How to fix: add what the message says is expected — usually a `：` after a field name or a closing `}`.

    【中文】
    检查内容：文本符合 `.plan` 文件的结构：块写作 `关键字 标识 “标题” { … }`，引用写作 `引用 “x.plan”`，字段写作
    `字段：值`，每行一个或用 `；` 隔开，括号成对闭合。

    原因：一处笔误不能让整个文件失效。解析器遇错会自动恢复并继续读下去，所以一个文件里的每处语法错误都会报告出来，
    并注明行号和列号（每行最多报一处）。

    示例（不通过）：`牵头 区发改局`（少了冒号）
    示例（通过）：`牵头：区发改局`

    修改方法：按提示补上缺少的内容，通常是字段名后的 `：` 或块末尾的 `}`。
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

    【中文】
    检查内容：每个块关键字（方案、目标、任务、机制、单位、文本、引用，或英文 plan、goal、task 等）和每个字段名都在
    中英文关键字表中，并且字段用在允许它的块里（例如 成员 属于 机制，不能写在 任务 里）。

    原因：在 Word 里写错的字段名不会有人发现；在这里，它会让一项任务悄悄丢掉牵头单位或完成时限。

    示例（不通过）：`牵投：区发改局`
    示例（通过）：`牵头：区发改局`

    修改方法：改用提示的写法；`docs/language.md` 列有全部中英文关键字。
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

    【中文】
    检查内容：数量要写成数字加计量单位（`力争突破 52亿元`、`8%以上`）；时限要写成日期、持续性或周期性的表述
    （`2023年6月底前`、`年底前`、`长期坚持`、`每季度`）；类型要取所列的值之一；频次要写成周期加动作（`旬调度`、`月通报`、
    `每季度`）。

    原因：读不懂的值就无法核对、汇总，也填不进任务分工表。

    示例（不通过）：`时限：尽快`
    示例（通过）：`时限：2023年6月底前`

    修改方法：按 `docs/language.md` 第 3 节列出的写法之一填写。
    """


def not_utf8() -> None:
    """PL004 — the file is not UTF-8.

    What it checks: the file decodes as UTF-8 (a UTF-8 BOM is accepted).

    Why it matters: Word and older Windows editors save Chinese text as GBK/GB18030; such a file would read as
    garbage. The message says when a file looks like GBK/GB18030.

    How to fix: convert it, e.g. `iconv -f GB18030 -t UTF-8 old.plan > new.plan`, or save as UTF-8.

    【中文】
    检查内容：文件能按 UTF-8 解码（允许带 UTF-8 BOM）。

    原因：Word 和较老的 Windows 编辑器常把中文存成 GBK/GB18030 编码，这样的文件读出来是乱码。文件看起来是
    GBK/GB18030 时，提示中会直接说明。

    示例（不通过）：以 GB2312 / GBK 编码另存的 `.plan` 文件
    示例（通过）：以 UTF-8 编码保存的同一文件

    修改方法：转换编码，例如 `iconv -f GB18030 -t UTF-8 原文件.plan > 新文件.plan`，或在编辑器中另存为 UTF-8。
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

    【中文】
    检查内容：`引用 “x.plan”` 指向的文件（相对于写引用的文件）确实存在、可以读取、位于工作区根目录（含
    planlang.toml、pyproject.toml 或 .git 的目录）之内，并且不会直接或经由其他文件再引用回来。文件系统拒绝的路径
    （含 NUL 字符、名称过长、循环的符号链接）也在此报告。

    原因：一个区通常为所有方案维护一份单位登记表；引用断了，所有单位都会被报成未定义。

    示例（不通过）：`引用 “../../other/units.plan”`（超出工作区）
    示例（通过）：`引用 “nanhu-units.plan”`

    修改方法：改正路径，或把文件移到工作区内；出现循环引用时，去掉其中一处引用。
    """


def unused_suppression() -> None:
    """PL006 — unused suppression comment (info).

    What it checks: every `# planlang: ignore[PL105]` (or bare `# planlang: ignore`) comment suppresses at
    least one diagnostic on its line.

    Why it matters: a suppression left behind after the problem was fixed would silently hide the next real
    problem on that line.

    Example (reported):  `单位 区统计局  # planlang: ignore[PL105]` when 区统计局 is used
    How to fix: delete the comment.

    【中文】
    检查内容：每条 `# planlang: ignore[PL105]`（或不带规则号的 `# planlang: ignore`）忽略注释，都确实压下了本行的
    至少一条诊断。

    原因：问题改好之后留下的忽略注释，会把这一行以后出现的真问题也悄悄藏起来。

    示例（不通过）：区统计局已在任务中使用，却仍写着 `单位 区统计局  # planlang: ignore[PL105]`
    示例（通过）：删去这条注释的 `单位 区统计局`

    修改方法：删除这条注释。
    """
