"""Find ``stripe-perm-lint:`` comments with each language's own tokenizer, never a regex over code.

Python comments are COMMENT tokens from ``tokenize``; TypeScript, TSX and JavaScript comments are
tree-sitter ``comment`` nodes; YAML comments are what PyYAML's scanner steps over between two
tokens (its tokens cover every scalar, quoted or not, so a ``#`` inside a string is never taken
for a comment). Each comment that starts with the marker becomes a ``SuppressionComment``; what
its text says is read by ``stripe_perm_lint.suppressions``.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass
from typing import Iterable, Iterator

from stripe_perm_lint.backends import BY_LANGUAGE, parse_tree
from stripe_perm_lint.facts import Position, SuppressionComment

MARKER = "stripe-perm-lint:"


@dataclass(frozen=True)
class _Comment:
    body: str  # the text inside the comment delimiters
    position: Position  # 1-based line and character column of the comment's start
    end_line: int
    alone: bool  # nothing but whitespace before it on its line


def suppression_comments(language: str, path: str, text: str) -> tuple[SuppressionComment, ...]:
    """The marker comments of one source file (``language`` as ``discover.language_of`` says)."""
    if MARKER not in text:  # most files: no tokenizing at all
        return ()
    if language == "python":
        return _settle(_python_comments(text))
    if language == "typescript":
        return _settle(_typescript_comments(path, text))
    if language in BY_LANGUAGE:
        return _settle(_backend_comments(language, text))
    return ()


def yaml_suppression_comments(text: str) -> tuple[SuppressionComment, ...]:
    """The marker comments of a YAML manifest; a YAML error ends the scan (earlier comments stay)."""
    if MARKER not in text:
        return ()
    return _settle(_yaml_comments(text))


def _settle(comments: Iterable[_Comment]) -> tuple[SuppressionComment, ...]:
    """A comment after code covers its own line; one alone on its line covers the next line, skipping
    other comment-only lines so that stacked directives all reach the code below them."""
    comments = list(comments)
    comment_lines = {line for c in comments if c.alone for line in range(c.position.line, c.end_line + 1)}
    found = []
    for comment in comments:
        body = comment.body.strip()
        if not body.startswith(MARKER):
            continue
        covers = comment.position.line
        if comment.alone:
            covers = comment.end_line + 1
            while covers in comment_lines:
                covers += 1
        found.append(SuppressionComment(body[len(MARKER):].strip(), comment.position, covers))
    return tuple(found)


def _python_comments(text: str) -> Iterator[_Comment]:
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    try:
        for token in tokens:
            if token.type == tokenize.COMMENT:
                (line, column), source_line = token.start, token.line
                alone = not source_line[:column].strip()
                yield _Comment(token.string[1:], Position(line, column + 1), line, alone)
    except (tokenize.TokenError, SyntaxError):  # a syntax error: the comments before it still count
        return


def _typescript_comments(path: str, text: str) -> Iterator[_Comment]:
    from tree_sitter import Parser

    from stripe_perm_lint.parse.typescript.parser import grammar_for
    from stripe_perm_lint.parse.typescript.syntax import Positions

    data = text.encode("utf-8", errors="surrogatepass")
    lines = data.split(b"\n")
    positions = Positions(data)
    tree = Parser(grammar_for(path)).parse(data)
    stack = [tree.root_node]
    while stack:  # a loop, not recursion: generated files nest deeper than Python's stack
        node = stack.pop()
        if node.type != "comment":
            stack.extend(reversed(node.children))
            continue
        raw = node.text.decode("utf-8", errors="replace")
        body = raw[2:] if raw.startswith("//") else raw[2:-2]
        # In JSX a comment can only be written `{/* ... */}`: the braces belong to it.
        holder = node.parent if node.parent is not None and node.parent.type == "jsx_expression" else node
        row, column = holder.start_point
        alone = not lines[row][:column].strip()
        yield _Comment(body, positions.of(node), node.end_point[0] + 1, alone)


# How each comment syntax of the backend languages opens and closes.
_DELIMITERS = (("///", ""), ("//", ""), ("/**", "*/"), ("/*", "*/"), ("#", ""), ("=begin", "=end"))


def _backend_comments(language: str, text: str) -> Iterator[_Comment]:
    """Comment nodes of a backend language's tree-sitter grammar (``Backend.comment_types``)."""
    from stripe_perm_lint.parse.positions import Positions

    data = text.encode("utf-8", errors="surrogatepass")
    lines = data.split(b"\n")
    positions = Positions(data)
    types = BY_LANGUAGE[language].comment_types
    stack = [parse_tree(language, data).root_node]
    while stack:
        node = stack.pop()
        if node.type not in types:
            stack.extend(reversed(node.children))
            continue
        raw = node.text.decode("utf-8", errors="replace")
        opener, closer = next(((o, c) for o, c in _DELIMITERS if raw.startswith(o)), ("", ""))
        body = raw[len(opener):]
        if closer and body.rstrip().endswith(closer):
            body = body.rstrip()[: -len(closer)]
        row, column = node.start_point
        yield _Comment(body, positions.of(node), node.end_point[0] + 1, not lines[row][:column].strip())


def _yaml_comments(text: str) -> Iterator[_Comment]:
    import yaml

    lines = text.split("\n")
    gap_start, gap_line = 0, 0  # where the text after the previous token starts (0-based line)
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            yield from _comments_between(text, lines, gap_start, gap_line, token.start_mark.index)
            if token.end_mark.index > gap_start:
                gap_start, gap_line = token.end_mark.index, token.end_mark.line
    except yaml.YAMLError:
        return


def _comments_between(text: str, lines: list[str], start: int, line: int, end: int) -> Iterator[_Comment]:
    """Between two YAML tokens there is only whitespace, line breaks and comments. ``line`` is the
    0-based line of ``start``."""
    offset = start
    while offset < end:
        hash_at = text.find("#", offset, end)
        if hash_at < 0:
            return
        line += text.count("\n", offset, hash_at)
        line_end = text.find("\n", hash_at, end)
        line_end = end if line_end < 0 else line_end
        column = hash_at - (text.rfind("\n", 0, hash_at) + 1)
        alone = not lines[line][:column].strip()
        yield _Comment(text[hash_at + 1 : line_end], Position(line + 1, column + 1), line + 1, alone)
        offset = line_end
