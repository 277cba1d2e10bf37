"""The coding query language: a tokenizer and a recursive-descent parser.

    query    := or
    or       := and ("OR" and)*
    and      := seq ("AND" seq)*
    seq      := unary (("NEAR/N" | "FOLLOWED BY" ["/N"]) unary)*
    unary    := "NOT" unary | primary
    primary  := "code name or Theme/path" | "(" query ")"

Keywords are case-insensitive; codes are always in double quotes (a quote inside a name is
written \\"). Every mistake is one line naming the position (1-based) where it was found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coder.errors import UserError


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # STRING, LPAREN, RPAREN, AND, OR, NOT, NEAR, FOLLOWED, END
    text: str
    pos: int
    n: int | None = None


@dataclass(frozen=True, slots=True)
class CodeRef:
    ref: str
    pos: int


@dataclass(frozen=True, slots=True)
class Not:
    inner: Node
    pos: int


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # AND, OR, NEAR, FOLLOWED
    left: Node
    right: Node
    pos: int
    n: int | None = None


Node = CodeRef | Not | Binary


def fail(expr: str, pos: int, message: str) -> UserError:
    return UserError(f"query error at position {pos + 1}: {message} (in {expr!r})")


def tokenize(expr: str) -> list[Token]:
    """The tokens of `expr`, ending with END."""
    out: list[Token] = []
    i, n = 0, len(expr)
    while i < n:
        ch = expr[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            start, i, buf = i, i + 1, []
            while i < n and expr[i] != '"':
                if expr[i] == "\\" and i + 1 < n:
                    i += 1
                buf.append(expr[i])
                i += 1
            if i >= n:
                raise fail(expr, start, "this code name has no closing double quote")
            name = "".join(buf).strip()
            if not name:
                raise fail(expr, start, "empty code name")
            out.append(Token("STRING", name, start))
            i += 1
        elif ch in "()":
            out.append(Token("LPAREN" if ch == "(" else "RPAREN", ch, i))
            i += 1
        elif ch.isalpha():
            start = i
            while i < n and (expr[i].isalnum() or expr[i] == "_"):
                i += 1
            word = expr[start:i].upper()
            if word in ("AND", "OR", "NOT"):
                out.append(Token(word, expr[start:i], start))
                continue
            if word == "FOLLOWED":
                j = i
                while j < n and expr[j].isspace():
                    j += 1
                if expr[j : j + 2].upper() != "BY" or (j + 2 < n and expr[j + 2].isalnum()):
                    raise fail(expr, start, "FOLLOWED must be followed by BY")
                i = j + 2
            elif word != "NEAR":
                raise fail(
                    expr,
                    start,
                    f"unexpected word {expr[start:i]!r}: put code names in double quotes",
                )
            dist, i = _distance(expr, i, start, required=word == "NEAR")
            out.append(Token("NEAR" if word == "NEAR" else "FOLLOWED", expr[start:i], start, dist))
        else:
            raise fail(expr, i, f"unexpected {ch!r}")
    out.append(Token("END", "", n))
    return out


def _distance(expr: str, i: int, start: int, required: bool) -> tuple[int | None, int]:
    if i < len(expr) and expr[i] == "/":
        j = i + 1
        while j < len(expr) and expr[j].isdigit():
            j += 1
        if j == i + 1:
            raise fail(expr, i, "a word distance must follow '/', as in NEAR/5")
        return int(expr[i + 1 : j]), j
    if required:
        raise fail(expr, start, "NEAR needs a word distance, as in NEAR/5")
    return None, i


class _Parser:
    def __init__(self, expr: str) -> None:
        self.expr = expr
        self.tokens = tokenize(expr)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        if self.peek().kind == "END":
            raise fail(self.expr, 0, "the query is empty")
        node = self.or_()
        tok = self.peek()
        if tok.kind != "END":
            raise fail(self.expr, tok.pos, f"unexpected {tok.text!r}: expected AND, OR or the end")
        return node

    def chain(self, ops: tuple[str, ...], operand: Callable[[], Node]) -> Node:
        """Operands joined by any of `ops`, grouped from the left."""
        node = operand()
        while self.peek().kind in ops:
            tok = self.take()
            node = Binary(tok.kind, node, operand(), tok.pos, tok.n)
        return node

    def or_(self) -> Node:
        return self.chain(("OR",), self.and_)

    def and_(self) -> Node:
        return self.chain(("AND",), self.seq)

    def seq(self) -> Node:
        return self.chain(("NEAR", "FOLLOWED"), self.unary)

    def unary(self) -> Node:
        tok = self.peek()
        if tok.kind == "NOT":
            self.take()
            inner = self.unary()
            return inner.inner if isinstance(inner, Not) else Not(inner, tok.pos)
        return self.primary()

    def primary(self) -> Node:
        tok = self.take()
        if tok.kind == "STRING":
            return CodeRef(tok.text, tok.pos)
        if tok.kind == "LPAREN":
            node = self.or_()
            close = self.take()
            if close.kind != "RPAREN":
                raise fail(
                    self.expr,
                    close.pos,
                    f"expected ')' to close the '(' opened at position {tok.pos + 1}",
                )
            return node
        found = "the end" if tok.kind == "END" else repr(tok.text)
        raise fail(self.expr, tok.pos, f"expected a code in double quotes, found {found}")


def parse(expr: str) -> Node:
    """The syntax tree of a query, or a UserError pointing at the mistake."""
    return _Parser(expr).parse()
