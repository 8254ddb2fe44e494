#!/usr/bin/env python3
"""Writes the man page ultrastrength(1) and the bash and zsh completions from
the program's own --help, so they always describe the binary they ship with.

    gen_from_help.py ULTRASTRENGTH_BINARY OUTPUT_DIR VERSION

Writes OUTPUT_DIR/ultrastrength.1, OUTPUT_DIR/ultrastrength.bash-completion
and OUTPUT_DIR/_ultrastrength (zsh). The output depends only on the help text
and VERSION (no dates), so a build is reproducible.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

# Values an option takes, for completion. The help text names them; this
# table only lists the ones worth offering. --format's are the writers that
# `formats --json` lists (the writer registry), filled in by main().
VALUES = {
    "--level": ["novice", "intermediate", "advanced"],
    "--equipment": ["none", "band", "dumbbell", "barbell", "box", "gym"],
    "--sex": ["male", "female"],
    "--weight-unit": ["kg", "lb"],
    "--long-run-day": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    "--days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
}
LIST_OPTIONS = {"--format", "--equipment", "--days"}  # comma-separated values


def run_help(binary, *args):
    out = subprocess.run([binary, *args], check=True, capture_output=True, text=True)
    return out.stdout


class Option:
    def __init__(self, spec, desc):
        self.spec = spec  # e.g. "-o [ --out ] DIR"
        self.desc = desc
        m = re.match(r"^(?:(-\w) \[ (--[\w-]+) \]|(--[\w-]+))\s*(.*)$", spec)
        self.short = m.group(1) if m and m.group(1) else None
        self.long = (m.group(2) or m.group(3)) if m else spec.split()[0]
        self.arg = (m.group(4) if m else "").strip()
        self.arg = re.sub(r"\s*\(=.*\)$", "", self.arg)  # boost's "(=all cores)" default

    def names(self):
        return [n for n in (self.short, self.long) if n]


class Command:
    def __init__(self, name, summary, help_text):
        self.name = name
        self.summary = summary
        self.usage = ""
        self.more_usages = []  # further "       ultrastrength ..." lines (batch merge)
        self.options = []
        self.text = []  # the free text after the options, as lines
        self.parse(help_text)

    def parse(self, text):
        lines = text.splitlines()
        i = 0
        if lines and lines[0].startswith("Usage: "):
            self.usage = lines[0][len("Usage: "):]
            i = 1
            while i < len(lines) and lines[i].startswith(" " * 7 + "ultrastrength "):
                self.more_usages.append(lines[i].strip())
                i += 1
        while i < len(lines) and lines[i].strip() != "Options:":
            i += 1
        i += 1
        block = []
        while i < len(lines) and lines[i].strip():
            block.append(lines[i])
            i += 1
        # The description column is the indentation of the continuation lines.
        cont = [len(l) - len(l.lstrip()) for l in block if not l.lstrip().startswith("-")]
        col = max(set(cont), key=cont.count) if cont else None
        for line in block:
            if line.lstrip().startswith("-"):
                if col is not None and len(line) > col and line[col - 1] == " ":
                    spec, desc = line[:col].strip(), line[col:].strip()
                else:
                    parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
                    spec, desc = parts[0], parts[1] if len(parts) > 1 else ""
                self.options.append(Option(spec, desc))
            elif self.options:
                self.options[-1].desc += " " + line.strip()
        self.text = lines[i:]
        while self.text and not self.text[0].strip():
            self.text.pop(0)


def parse_main(text):
    commands = []
    in_commands = False
    intro = []
    tail = []
    for line in text.splitlines():
        if line.strip() == "Commands:":
            in_commands = True
            continue
        m = re.match(r"^  ([a-z][a-z-]*)\s{2,}(.*)$", line)
        if in_commands and m:
            commands.append((m.group(1), m.group(2)))
        elif in_commands:
            if line.strip():
                tail.append(line)
        elif not line.startswith("Usage:"):
            intro.append(line)
    return " ".join(l.strip() for l in intro if l.strip()), commands, tail


# --- roff -------------------------------------------------------------------


def roff(text):
    text = text.replace("\\", "\\e")
    text = re.sub(r"(?<![\w])-", r"\\-", text)  # option dashes, not hyphenated words
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def roff_paragraphs(lines):
    """Free help text: indented lines stay as they are (lists), others fill."""
    out = []
    para = []
    verbatim = []

    def flush():
        if para:
            out.append(".PP")
            out.append(roff(" ".join(para)))
            para.clear()
        if verbatim:
            out.append(".PP")
            out.append(".nf")
            out.extend(roff(v) for v in verbatim)
            out.append(".fi")
            verbatim.clear()

    for line in lines:
        if not line.strip():
            flush()
        elif line.startswith("  "):
            if para:
                flush()
            verbatim.append(line)
        else:
            if verbatim:
                flush()
            para.append(line.strip())
    flush()
    return out


def man_page(intro, commands, tail, version):
    out = [
        '.TH ULTRASTRENGTH 1 "" "ultrastrength %s" "User Commands"' % version,
        ".\\\" Generated from the program's --help by packaging/gen_from_help.py; do not edit.",
        ".SH NAME",
        "ultrastrength \\- periodized strength training for trail and ultra runners, from their run history",
        ".SH SYNOPSIS",
    ]
    for c in commands:
        for usage in [c.usage] + c.more_usages:
            out.append(".B ultrastrength")
            out.append(roff(usage[len("ultrastrength "):] if usage else c.name))
            out.append(".br")
    out += [".B ultrastrength", "\\-\\-help | \\-\\-version", ".SH DESCRIPTION", roff(intro)]
    out.append(".PP")
    out.append("The method, with its sources, is described in /usr/share/doc/ultrastrength/docs/analysis.md; "
               "the input and output formats in input\\-formats.md and output\\-formats.md beside it. "
               "References such as \"analysis.md \\(sc4.5\" in the program's output point to its sections.")
    out.append(".SH COMMANDS")
    for c in commands:
        out.append(".SS %s" % c.name)
        out.append(roff(c.summary))
        out.append(".PP")
        out.append(".B ultrastrength")
        out.append(roff(c.usage[len("ultrastrength "):] if c.usage else c.name))
        for usage in c.more_usages:
            out.append(".br")
            out.append(".B ultrastrength")
            out.append(roff(usage[len("ultrastrength "):]))
        for o in c.options:
            out.append(".TP")
            names = ", ".join("\\fB%s\\fR" % roff(n) for n in o.names())
            out.append(names + (" \\fI%s\\fR" % roff(o.arg) if o.arg else ""))
            out.append(roff(o.desc))
        out += roff_paragraphs(c.text)
    out.append(".SH EXIT STATUS")
    out += roff_paragraphs(tail)
    out += [
        ".SH ENVIRONMENT",
        ".TP",
        ".B XDG_CACHE_HOME",
        "The cache of decoded inputs is $XDG_CACHE_HOME/ultrastrength/features.sqlite "
        "(else ~/.cache/ultrastrength/features.sqlite) unless \\-\\-cache or \\-\\-no\\-cache is given.",
        ".TP",
        ".B ULTRASTRENGTH_SCHEMAS",
        "The folder of XSDs validate uses, instead of /usr/share/ultrastrength/schemas.",
        ".SH FILES",
        ".TP",
        ".I /usr/share/ultrastrength/samples/",
        "A sample athlete's history (athlete/) and a coach's roster of three athletes (roster/roster.csv).",
        ".TP",
        ".I /usr/share/ultrastrength/schemas/",
        "The TCX and GPX schemas validate uses, and the JSON schemas of the files the program reads and writes.",
        ".TP",
        ".I /usr/share/doc/ultrastrength/",
        "README.md (with delivery to watches, Garmin Connect, TrainingPeaks and calendars, and cron), "
        "the method and format documents, CHANGELOG.md.",
        ".SH EXAMPLES",
        ".nf",
        "ultrastrength plan /usr/share/ultrastrength/samples/athlete \\-\\-out plan",
        "ultrastrength analyze ~/exports/ \\-\\-race 2026\\-09\\-26,Alpenglow,50,2500 \\-\\-report season.html",
        "ultrastrength batch /usr/share/ultrastrength/samples/roster/roster.csv \\-\\-out plans",
        "ultrastrength validate run.fit ride.tcx",
        ".fi",
        ".SH SEE ALSO",
        ".BR cron (8),",
        ".BR crontab (5)",
    ]
    return "\n".join(out) + "\n"


# --- completions ------------------------------------------------------------


def value_kind(opt):
    arg = opt.arg.upper()
    if opt.long in VALUES:
        return "values"
    if "DIR" in arg:
        return "dir"
    if "FILE" in arg or "CSV" in arg:
        return "file"
    return "none" if opt.arg else "flag"


def bash_completion(commands):
    out = [
        "# bash completion for ultrastrength(1). Generated from the program's --help",
        "# by packaging/gen_from_help.py; do not edit.",
        "# Works with the bash-completion package (its _init_completion and _filedir)",
        "# and without it.",
        "_ultrastrength_files() {",
        "    if declare -F _filedir >/dev/null; then",
        '        _filedir "$@"',
        '    elif [[ $1 == -d ]]; then',
        '        COMPREPLY+=($(compgen -d -- "$cur"))',
        "    else",
        '        COMPREPLY+=($(compgen -f -- "$cur"))',
        "    fi",
        "}",
        "_ultrastrength() {",
        "    local cur prev words cword",
        "    COMPREPLY=()",
        "    if declare -F _init_completion >/dev/null; then",
        "        _init_completion || return",
        "    else",
        '        words=("${COMP_WORDS[@]}") cword=$COMP_CWORD',
        '        cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}',
        "    fi",
        "    local commands=%s" % quote_sh(" ".join(c.name for c in commands)),
        "    if ((cword == 1)); then",
        '        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))',
        "        return",
        "    fi",
        "    local command=${words[1]}",
        '    case "$command:$prev" in',
    ]
    for c in commands:
        for o in c.options:
            kind = value_kind(o)
            if kind == "flag":
                continue
            pattern = "|".join("%s:%s" % (c.name, n) for n in o.names())
            if kind == "values":
                values = " ".join(VALUES[o.long])
                if o.long in LIST_OPTIONS:
                    body = ('local prefix=""; [[ $cur == *,* ]] && prefix=${cur%%,*},; '
                            'COMPREPLY=($(compgen -P "$prefix" -W %s -- "${cur##*,}"))'
                            % quote_sh(values))
                else:
                    body = 'COMPREPLY=($(compgen -W %s -- "$cur"))' % quote_sh(values)
            elif kind == "dir":
                body = "_ultrastrength_files -d"
            elif kind == "file":
                body = "_ultrastrength_files"
            else:
                body = ":"
            out.append("        %s) %s; return ;;" % (pattern, body))
    out.append("    esac")
    out.append('    case "$command" in')
    for c in commands:
        opts = " ".join(n for o in c.options for n in o.names())
        files = "" if c.name == "formats" else "; [[ $cur == -* ]] || _ultrastrength_files"
        out.append('        %s) COMPREPLY=($(compgen -W %s -- "$cur"))%s ;;' % (c.name, quote_sh(opts), files))
    out += ["    esac", "} &&", "    complete -F _ultrastrength ultrastrength", ""]
    return "\n".join(out)


def quote_sh(s):
    return "'" + s.replace("'", "'\\''") + "'"


def zsh_escape(s):
    """For a description inside [...] of an _arguments spec, in single quotes."""
    return s.replace("\\", "\\\\").replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]")


def zsh_message(s):
    """For the message field of an _arguments spec (between colons)."""
    return s.replace("'", "'\\''").replace(":", "\\:")


def zsh_completion(commands):
    out = [
        "#compdef ultrastrength",
        "# zsh completion for ultrastrength(1). Generated from the program's --help",
        "# by packaging/gen_from_help.py; do not edit.",
        "_ultrastrength() {",
        "  local -a commands",
        "  commands=(",
    ]
    for c in commands:
        out.append("    '%s:%s'" % (c.name, zsh_message(c.summary)))
    out += [
        "  )",
        "  if (( CURRENT == 2 )); then",
        "    _describe -t commands 'ultrastrength command' commands",
        "    _arguments '--help[show the help]' '--version[show the version]'",
        "    return",
        "  fi",
        "  local command=$words[2]",
        "  shift words",
        "  (( CURRENT-- ))",
        "  case $command in",
    ]
    for c in commands:
        specs = []
        for o in c.options:
            kind = value_kind(o)
            desc = zsh_escape(o.desc[:70].rstrip())
            if kind == "flag":
                action = ""
            elif kind == "values":
                if o.long in LIST_OPTIONS:
                    action = ":%s:_sequence compadd - %s" % (o.arg.lower() or "value", " ".join(VALUES[o.long]))
                else:
                    action = ":%s:(%s)" % (o.arg.lower() or "value", " ".join(VALUES[o.long]))
            elif kind == "dir":
                action = ":directory:_files -/"
            elif kind == "file":
                action = ":file:_files"
            else:
                action = ":%s:" % zsh_message(o.arg.lower())
            repeat = "*" if "repeatable" in o.desc else ""
            names = o.names()
            if len(names) == 2 and not repeat:
                specs.append("'(%s)'{%s}'[%s]%s'" % (" ".join(names), ",".join(names), desc, action))
            else:
                for n in names:
                    specs.append("'%s%s[%s]%s'" % (repeat, n, desc, action))
        if c.name != "formats":
            specs.append("'*:input:_files'")
        out.append("    %s)" % c.name)
        out.append("      _arguments -s \\")
        out.append(" \\\n".join("        " + s for s in specs))
        out.append("      ;;")
    out += ["  esac", "}", "", '_ultrastrength "$@"', ""]
    return "\n".join(out)


def main():
    binary, outdir, version = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    writers = json.loads(run_help(binary, "formats", "--json"))["writers"]
    VALUES["--format"] = [w["name"] for w in writers]
    intro, listed, tail = parse_main(run_help(binary, "--help"))
    if not listed:
        sys.exit("gen_from_help.py: no commands found in `%s --help`" % binary)
    commands = [Command(name, summary, run_help(binary, name, "--help")) for name, summary in listed]
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "ultrastrength.1").write_text(man_page(intro, commands, tail, version), encoding="utf-8")
    (outdir / "ultrastrength.bash-completion").write_text(bash_completion(commands), encoding="utf-8")
    (outdir / "_ultrastrength").write_text(zsh_completion(commands), encoding="utf-8")


if __name__ == "__main__":
    main()
