"""A faster loop over Lark's own LALR tables: the same grammar, the same tokens, the same tree, the same recovery.

Lark's LALR front end spends most of a parse on per-token machinery: a lexer object that builds each token
through several calls, a parser state fed one token at a time through a method call, and tree-builder wrappers
around every reduction (inlined `_rules` become Tree objects only to be spliced into their parent). This module
drives the very tables Lark computed from `grammar/planlang.lark`:

- the lexer is the one regular expression Lark's basic lexer compiled (its terminals in Lark's order, so the
  first alternative that matches wins, as in Lark), run by `finditer` in one pass; a character no terminal
  matches is an unexpected character at that offset, as Lark reports it;
- the parser is Lark's parse table read from plain dictionaries in one loop;
- each rule's reduction is worked out once from the rule, as Lark's tree builder does it (filtered tokens
  dropped, `_rules` spliced into their parent, the transformer's method called for a named rule), except that
  what an inlined rule holds is a plain list, and an inlined rule that can never hold anything (the `_sep` runs)
  is no object at all.

Syntax errors go to the same `on_error` callback with Lark's own exception types and an interactive parser
over the same stacks, so error recovery does not change: the callback inspects and feeds the parser as before
(its reductions are this module's), and parsing goes on in this loop once it returns. Where Lark would give up
(the callback returns False, or the end of the input is still unacceptable after a repair) the same exception
is raised.

`Driver.build` returns None when the installed Lark does not look as this module expects (its tables, its
compiled lexer): the caller then uses Lark's own parse, which gives the same result more slowly.
"""

from __future__ import annotations

from typing import Any, Callable

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedToken
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_interactive_parser import InteractiveParser
from lark.parsers.lalr_parser_state import ParseConf, ParserState

_new_str = str.__new__


def _token(kind: str, value: str, start: int, end: int) -> Token:
    """A Lark Token with what the front end reads of it (type, value, offsets), made without Lark's
    constructor chain. Line and column are not set: nothing downstream reads them."""
    tok = _new_str(Token, value)
    tok.type = kind
    tok.value = value
    tok.start_pos = start
    tok.end_pos = end
    return tok


def _end_token(last: Any) -> Token:
    """The end-of-input token, where Lark puts it: at the last token (`last`, its match; offset 0 in a text
    without tokens)."""
    if last is None:
        return Token("$END", "", 0, 1, 1)
    return _token("$END", "", last.start(), last.end())


def _splice(include: tuple[tuple[int, bool], ...], size: int) -> Callable[[list], list]:
    """The children a rule hands on: the kept symbols in order, an inlined rule's list spliced in. Lists of
    inlined rules are used up (LALR builds each value once), so the first one may be extended in place."""
    if include == tuple((i, False) for i in range(size)):  # every child as it is: the list of them
        return _same
    if not include:
        return lambda kids: []
    if len(include) == 1:
        (i, expand), = include
        if expand:
            return lambda kids: kids[i]
        return lambda kids: [kids[i]]
    if len(include) == 2:
        (i, ei), (j, ej) = include
        if ei and ej:
            def both(kids):
                out = kids[i]
                out += kids[j]
                return out
            return both
        if ei:
            def first(kids):
                out = kids[i]
                out.append(kids[j])
                return out
            return first
        if ej:
            return lambda kids: [kids[i], *kids[j]]
        return lambda kids: [kids[i], kids[j]]

    def general(kids):
        out = []
        for k, expand in include:
            if expand:
                out += kids[k]
            else:
                out.append(kids[k])
        return out
    return general


def _same(kids: list) -> list:
    return kids


def _reduction(include: tuple[tuple[int, bool], ...], size: int,
               method: Callable[[list], Any] | None) -> Callable[[list], Any]:
    """A rule's value from its children's values (a new list, taken from the value stack): the spliced list (an
    inlined rule), or the method's result."""
    splice = _splice(include, size)
    if method is None:  # an inlined rule: its value is the list its parent splices in
        return splice
    if splice is _same:
        return method
    if len(include) == 1 and include[0][1]:  # one spliced child: the list goes to the method as it is
        i = include[0][0]
        return lambda kids: method(kids[i])
    return lambda kids: method(splice(kids))


def _single(include: tuple[tuple[int, bool], ...], method: Callable[[list], Any] | None) -> Callable[[Any], Any] | None:
    """`_reduction` for a rule of one symbol, given that symbol's value rather than a list; None when the value
    stays as it is (a spliced list handed on, or a rule that holds nothing)."""
    if not include:
        return (lambda v: []) if method is None else (lambda v: method([]))
    if include[0][1]:
        return method
    return (lambda v: [v]) if method is None else (lambda v: method([v]))


class Driver:
    """Lark's LALR tables and compiled lexer, driven by one loop. Build it with `Driver.build(lark, transformer)`."""

    def __init__(self, lark: Lark, transformer: Any) -> None:
        frontend = lark.parser
        lalr = frontend.parser  # LALR_Parser
        core = lalr.parser  # its _Parser: parse_table, callbacks
        table = core.parse_table
        lexer = frontend.lexer
        scanner = lexer.scanner
        if len(scanner._mres) != 1:  # more terminals than one Python pattern holds: not supported here
            raise ValueError("several lexer patterns")
        user = dict(lark.options.lexer_callbacks or {})
        if set(lexer.callback) != set(user):  # Lark's own lexer callbacks (string terminals inside patterns)
            raise ValueError("lexer callbacks other than the user's")
        ignore = frozenset(lexer.ignore_types)
        if set(user) - ignore:
            raise ValueError("lexer callbacks on terminals the parser is given")
        self.regex = scanner._mres[0]
        self.ignore = ignore
        self.start = table.start_states["start"]
        self.end = table.end_states["start"]

        rules = {arg for acts in table.states.values() for act, arg in acts.values() if act is not Shift}
        inlined = {r.origin.name for r in rules if r.origin.name.startswith("_")}
        # terminals no rule keeps: the parser is given None for them
        symbols = [s for r in rules for s in r.expansion if s.is_term]
        self.filtered = (frozenset(s.name for s in symbols if s.filter_out)
                         - {s.name for s in symbols if not s.filter_out}
                         - {s.name for r in rules if r.options.keep_all_tokens for s in r.expansion})

        def kept(rule):
            keep_all = rule.options.keep_all_tokens
            return tuple((i, (not s.is_term) and s.name.startswith("_")) for i, s in enumerate(rule.expansion)
                         if keep_all or not (s.is_term and s.filter_out))

        for rule in rules:
            if rule.options.expand1 or rule.options.empty_indices:
                raise ValueError(f"rule options not supported: {rule}")
        # inlined rules that never hold anything (runs of separators): no list is made for them, and their
        # parents skip them
        empty = set(inlined)
        changed = True
        while changed:
            changed = False
            for rule in rules:
                name = rule.origin.name
                if name in empty and any(not ex or rule.expansion[i].name not in empty for i, ex in kept(rule)):
                    empty.discard(name)
                    changed = True

        callbacks: dict[Any, Callable[[list], Any]] = {}  # rule → its value from a list of its children's
        reductions = {}  # rule → (size, the rule's name, how its value is made: see `parse`)
        for rule in rules:
            name = rule.origin.name
            size = len(rule.expansion)
            include = tuple((i, ex) for i, ex in kept(rule) if not (ex and rule.expansion[i].name in empty))
            if name in empty:
                method = None
                callbacks[rule] = _none
                reductions[rule] = (size, name, None if size == 1 else _none)
                continue
            if name in inlined:
                method = None
            else:
                label = rule.alias or rule.options.template_source or name
                method = getattr(transformer, label, None)
                if method is None:
                    default = transformer.__default__
                    method = (lambda lb: lambda kids: default(lb, kids, None))(label)
            callbacks[rule] = _reduction(include, size, method)
            reductions[rule] = (size, name, _single(include, method) if size == 1 else callbacks[rule])

        # per group of the lexer's pattern (a terminal): its name and what the parser is given for it — None
        # (an ignored terminal: nothing, or a comment handed to its callback), a filtered terminal (None), the
        # transformer's value of the terminal made from the match (`from_match`), or a Token passed through the
        # transformer's method of that name, as Lark does
        from_match = getattr(transformer, "from_match", {})
        self.terminals = [None] * (self.regex.groups + 1)
        for kind, index in self.regex.groupindex.items():
            if kind in ignore:
                how = (kind, _IGNORED, user.get(kind))
            elif kind in self.filtered:
                how = (kind, _FILTERED, None)
            elif kind in from_match:
                how = (kind, _MADE, from_match[kind])
            else:
                how = (kind, _TOKEN, getattr(transformer, kind, None))
            self.terminals[index] = how
        # the error callback feeds tokens through Lark's parser state, which gives a terminal's value as Lark does
        callbacks.update({kind: f for kind, f in ((t.name, getattr(transformer, t.name, None)) for t in lark.terminals)
                          if f is not None})

        # per state: a terminal or rule name → the next state (an int: a shift, or a goto) or a reduction
        self.actions = {state: {kind: (arg if act is Shift else reductions[arg]) for kind, (act, arg) in acts.items()}
                        for state, acts in table.states.items()}
        # what the error callback sees: Lark's parser state over the same stacks, reducing with these callbacks
        self.conf = ParseConf(table, callbacks, "start")
        self.core = core
        self.terminals_by_name = lark.lexer_conf.terminals_by_name
        if not all(isinstance(s, int) for s in self.actions):
            raise ValueError("parse table states are not numbered")

    @classmethod
    def build(cls, lark: Lark, transformer: Any) -> "Driver | None":
        """The driver, or None when this Lark's internals are not what it reads (then use `lark.parse`)."""
        try:
            return cls(lark, transformer)
        except (AttributeError, KeyError, TypeError, ValueError, IndexError):
            return None

    def parse(self, text: str, on_error: Callable[[Any], bool]) -> Any:
        """Parse `text` as `lark.parse(text, on_error=on_error)` does, and return the transformer's result."""
        actions = self.actions
        terminals = self.terminals
        stack = [self.start]
        values: list = []
        errors = _Errors(self, text, on_error)
        last = None  # the match of the last token the parser was given (the end token's place)
        pos = 0
        for m in self.regex.finditer(text):
            start, end = m.span()
            if start != pos:  # characters no terminal matches, one error each (Lark skips them one by one)
                stack, values = errors.characters(pos, start, stack, values)
            pos = end
            kind, how, f = terminals[m.lastindex]
            if how is _MADE:
                tok = f(m.group(), start, pos)
            elif how is _FILTERED:
                tok = None  # nothing reads a filtered token: the reduction drops it
            elif how is _IGNORED:
                if f is not None:
                    f(_token(kind, m.group(), start, pos))
                continue
            else:
                tok = _token(kind, m.group(), start, pos)
                if f is not None:
                    tok = f(tok)
            last = m
            while True:
                act = actions[stack[-1]].get(kind)
                if act is None:  # the callback is given the token as Lark's lexer made it
                    stack, values = errors.token(_token(kind, m.group(), start, pos), stack, values)
                    break
                if act.__class__ is int:
                    stack.append(act)
                    values.append(tok)
                    break
                size, name, build = act  # `_reduce`, written out: this is the loop every token runs
                if size == 1:  # most reductions: the value and the state are replaced in place
                    if build is not None:
                        values[-1] = build(values[-1])
                    stack[-1] = actions[stack[-2]][name]
                elif size:
                    kids = values[-size:]
                    del stack[-size:]
                    values[-size:] = (build(kids),)
                    stack.append(actions[stack[-1]][name])
                else:
                    values.append(build([]))
                    stack.append(actions[stack[-1]][name])
        if pos != len(text):
            stack, values = errors.characters(pos, len(text), stack, values)
        end = _end_token(last)
        end_state = self.end
        repaired = False
        while True:
            act = actions[stack[-1]].get("$END")
            if act is None or act.__class__ is int:
                if repaired:  # as Lark: the end still unacceptable after the callback's repair
                    raise errors.unexpected(end, stack, values)
                stack, values = errors.token(end, stack, values)
                repaired = True
                continue
            _reduce(act, stack, values, actions)
            if stack[-1] == end_state:
                return values[-1]



def _reduce(act: tuple, stack: list, values: list, actions) -> None:
    """One reduction: the rule's `size` values become the value `build` makes of them, and the state the goto
    table gives for the rule's `name` replaces their states."""
    size, name, build = act
    if size == 1:  # most reductions: the value and the state are replaced in place
        if build is not None:
            values[-1] = build(values[-1])
        stack[-1] = actions[stack[-2]][name]
    elif size:
        kids = values[-size:]
        del stack[-size:]
        values[-size:] = (build(kids),)
        stack.append(actions[stack[-1]][name])
    else:
        values.append(build([]))
        stack.append(actions[stack[-1]][name])

# what the parser is given for a terminal (see Driver.terminals)
_IGNORED, _FILTERED, _MADE, _TOKEN = "ignored", "filtered", "made", "token"


def _none(kids: list) -> None:
    return None


class _Errors:
    """Hands syntax errors to the callback as Lark does: its exception types, an interactive parser over the
    driver's stacks."""

    def __init__(self, driver: Driver, text: str, on_error: Callable[[Any], bool]) -> None:
        self.driver = driver
        self.text = text
        self.on_error = on_error
        self.state: ParserState | None = None
        self._line_at = (0, 1)  # (offset, its line): line numbers are counted on from the last one asked

    def _parser(self, stack: list, values: list) -> InteractiveParser:
        state = ParserState(self.driver.conf, None, stack, values)
        state.value_stack = values  # (ParserState replaces an empty list with a new one)
        self.state = state
        return InteractiveParser(self.driver.core, state, None)

    def _line_col(self, pos: int) -> tuple[int, int]:
        at, line = self._line_at
        if pos < at:
            at, line = 0, 1
        line += self.text.count("\n", at, pos)
        self._line_at = (pos, line)
        return line, pos - (self.text.rfind("\n", 0, pos) + 1) + 1

    def unexpected(self, tok: Token, stack: list, values: list) -> UnexpectedToken:
        ip = self._parser(stack, values)
        state = self.driver.conf.states[stack[-1]]
        expected = {s for s in state if s.isupper()}
        return UnexpectedToken(tok, expected, state=ip.parser_state, interactive_parser=ip,
                               terminals_by_name=self.driver.terminals_by_name)

    def token(self, tok: Token, stack: list, values: list) -> tuple[list, list]:
        """An unexpected token: the callback repairs the stacks (or the parse ends with the exception)."""
        e = self.unexpected(tok, stack, values)
        if not self.on_error(e):
            raise e
        return self.state.state_stack, self.state.value_stack

    def characters(self, pos: int, end: int, stack: list, values: list) -> tuple[list, list]:
        """Characters in [pos, end) that no terminal matches: one error each."""
        for p in range(pos, end):
            ip = self._parser(stack, values)
            line, col = self._line_col(p)
            allowed = set(self.driver.terminals_by_name) - self.driver.ignore
            e = UnexpectedCharacters(self.text, p, line, col, allowed=allowed, state=ip.parser_state,
                                     terminals_by_name=self.driver.terminals_by_name)
            e.interactive_parser = ip
            if not self.on_error(e):
                raise e
            stack, values = self.state.state_stack, self.state.value_stack
        return stack, values
