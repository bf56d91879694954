#!/usr/bin/env python3
"""Finishes the man page swift-argument-parser's generate-manual plugin writes (`make man`).

The plugin puts the root command's discussion (its EXAMPLES and EXIT CODES blocks, written for `--help`) into
DESCRIPTION as plain text and leaves EXIT STATUS empty. This moves them into proper mdoc sections — EXAMPLES as a
literal display, EXIT STATUS as a tagged list — writes a DESCRIPTION of its own, and turns blank lines (which mdoc
warns about) into paragraph breaks. The source of every example and exit code stays WSInspect.swift.

Usage: manpage.py GENERATED.1 > wsinspect.1
"""
import re
import sys

DESCRIPTION = """\
.Nm
decodes WebSocket traffic (RFC 6455, RFC 7692) from capture files or a live interface: it reassembles TCP, finds
each HTTP Upgrade, verifies the Sec-WebSocket-Accept derivation, annotates every frame bit by bit and every
message, and checks each against the RFCs. It also explains pasted frame bytes, builds frames, and explains pasted
handshakes.
.Pp
Running
.Nm
with capture file names is
.Nm
.Cm read Ar file ... ;
its options are listed under
.Em read
below.
.Pp
The JSON Lines schema, the rules and the lessons are in the project's Docs directory.
"""


def main(path: str) -> None:
    text = open(path, encoding="utf-8").read()
    start = text.index(".Sh DESCRIPTION\n") + len(".Sh DESCRIPTION\n")
    end = text.index(".Bl -tag", start)
    block = text[start:end].split("\n")

    def section(name: str) -> list[str]:
        i = block.index(name) + 1
        lines = []
        while i < len(block) and block[i].strip() and block[i].strip() not in ("EXAMPLES", "EXIT CODES"):
            lines.append(block[i])
            i += 1
        return lines

    examples = [line.strip() for line in section("EXAMPLES")]
    codes: list[tuple[str, str]] = []
    for line in section("EXIT CODES"):
        match = re.match(r"\s*(\d)\s+(.*)", line)
        if match:
            codes.append((match.group(1), match.group(2).strip()))
        elif codes:
            codes[-1] = (codes[-1][0], codes[-1][1] + " " + line.strip())

    text = text[:start] + DESCRIPTION + text[end:]
    # Blank lines inside the subcommands' discussions: paragraph breaks.
    text = re.sub(r"\n\n+", "\n.Pp\n", text)
    examples_section = ".Sh EXAMPLES\n.Bd -literal -offset indent\n" + "\n".join(examples) + "\n.Ed\n"
    status_section = ".Sh \"EXIT STATUS\"\n.Bl -tag -width 2n\n" + "".join(
        f".It {code}\n{meaning}\n" for code, meaning in codes) + ".El\n"
    see_also = ".Sh \"SEE ALSO\"\n.Xr tcpdump 1 ,\n.Xr tshark 1 ,\n.Xr pcap-filter 7\n"
    marker = '.Sh "EXIT STATUS"\n'
    assert marker in text, "the generated page has no EXIT STATUS section"
    text = text.replace(marker, examples_section + status_section + see_also)
    text = text.replace(".Ex -std\n", "").rstrip("\n").removesuffix(".Ex -std")   # replaced by the list above
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
