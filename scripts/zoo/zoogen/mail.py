"""RFC 5322 messages that deliver the zoo's sketches to the call's mailbox.

Everything is deterministic (Message-IDs, boundaries, dates come from seeded RNGs). Lines
end in CRLF. Several mail clients are imitated (header set, Message-ID form, MIME structure,
transfer encodings, how attachment names with umlauts are encoded).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import quopri
import random
import re
import uuid
from dataclasses import dataclass, field
from email.header import Header
from email.utils import format_datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from zoogen.model import Facts

BERLIN = ZoneInfo("Europe/Berlin")
MAILBOX = "heimat20-skizzen@foerderaufruf-beispiel.de"
MAILBOX_NAME = "Förderaufruf Heimat 2.0"
MX = "mx01.foerderaufruf-beispiel.de"
CRLF = "\r\n"


@dataclass
class Attachment:
    filename: str
    data: bytes
    content_type: str  # "application/pdf" or "application/octet-stream"
    outcome: str = "sketch"
    sketch_id: str | None = None


@dataclass
class Message:
    """One mail to write: what it says and what it carries."""

    key: str  # stable seed material
    sender: str
    sender_name: str
    date: dt.datetime  # aware
    subject: str
    body: str
    client: str
    attachments: list[Attachment] = field(default_factory=list)
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    notes: str | None = None
    message_id: str = ""
    raw: bytes = b""


# ----------------------------------------------------------------------------- clients

CLIENTS = ("outlook", "thunderbird", "groupwise", "roundcube", "notes", "apple", "ox")
CLIENT_WEIGHTS = (34, 18, 14, 12, 8, 6, 8)


def _hex(rng: random.Random, n: int, upper=True) -> str:
    s = "".join(rng.choice("0123456789abcdef") for _ in range(n))
    return s.upper() if upper else s


def _message_id(client: str, rng: random.Random, domain: str, when: dt.datetime) -> str:
    if client == "outlook":
        return f"<{_hex(rng, 12, False)}${_hex(rng, 8, False)}${_hex(rng, 8, False)}$@{domain}>"
    if client == "thunderbird":
        return f"<{uuid.UUID(int=rng.getrandbits(128), version=4)}@{domain}>"
    if client == "groupwise":
        return f"<{_hex(rng, 8)}02000{_hex(rng, 3)}000{_hex(rng, 4)}@gw.{domain}>"
    if client == "roundcube":
        return f"<{_hex(rng, 32, False)}@{domain}>"
    if client == "notes":
        return (
            f"<OF{_hex(rng, 8)}.{_hex(rng, 8)}-ONC12586{_hex(rng, 2)}.{_hex(rng, 8)}-"
            f"C12586{_hex(rng, 2)}.{_hex(rng, 8)}@{domain}>"
        )
    if client == "apple":
        return f"<{str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()}@{domain}>"
    n1, n2 = rng.randint(100000000, 999999999), rng.randint(1000, 99999)
    return f"<{n1}.{n2}.{int(when.timestamp())}@ox.{domain}>"


def _boundary(client: str, rng: random.Random, level: int = 0) -> str:
    if client == "outlook":
        return f"----=_NextPart_00{level}_{_hex(rng, 4)}_01D7{_hex(rng, 4)}.{_hex(rng, 8)}"
    if client == "thunderbird":
        return "------------" + "".join(
            rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(24)
        )
    if client == "groupwise":
        return f"=__Part{_hex(rng, 8)}.{level + 1}__="
    if client == "roundcube":
        return f"=_{_hex(rng, 32, False)}"
    if client == "notes":
        return f"=_{'alternative' if level else 'mixed'} {_hex(rng, 8)}C12586{_hex(rng, 2)}_="
    if client == "apple":
        parts = (_hex(rng, 8), _hex(rng, 4), _hex(rng, 4), _hex(rng, 4), _hex(rng, 12))
        return "Apple-Mail=" + "-".join(parts)
    a, b, c = rng.randint(1000, 99999), rng.randint(10**8, 10**9), rng.randint(10**12, 10**13)
    return f"----=_Part_{a}_{b}.{c}"


def _client_headers(client: str, rng: random.Random) -> list[tuple[str, str]]:
    if client == "outlook":
        ti = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(22))).decode()
        return [
            ("X-Mailer", "Microsoft Outlook 16.0"),
            ("Thread-Index", ti),
            ("Content-Language", "de"),
        ]
    if client == "thunderbird":
        return [
            (
                "User-Agent",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:78.0) Gecko/20100101 "
                "Thunderbird/78.8.0",
            ),
            ("Content-Language", "de-DE"),
        ]
    if client == "groupwise":
        return [("X-Mailer", "GroupWise 18.2.1")]
    if client == "roundcube":
        return [("User-Agent", "Roundcube Webmail/1.4.11"), ("X-Sender", "")]
    if client == "notes":
        return [
            ("X-Mailer", "HCL Notes Release 11.0.1 November 21, 2019"),
            (
                "X-MIMETrack",
                "Serialize by Router on SRV01/Verwaltung(Release 11.0.1|November 21, 2019)",
            ),
        ]
    if client == "apple":
        return [("X-Mailer", rng.choice(("iPad Mail (18D52)", "Apple Mail (2.3654.60.0.2.21)")))]
    return [
        ("User-Agent", "Open-Xchange Mailer v7.10.4-Rev18"),
        ("X-Priority", "3"),
        ("Importance", "Normal"),
    ]


# ----------------------------------------------------------------------------- encodings


def _fits(value: str, charset: str) -> str:
    try:
        value.encode(charset)
        return charset
    except UnicodeEncodeError:
        return "utf-8"


def _enc_header(value: str, charset: str = "utf-8") -> str:
    if all(ord(c) < 128 for c in value):
        return value
    charset = _fits(value, charset)
    return Header(value, charset, maxlinelen=76).encode(linesep=CRLF)


def _addr(name: str, addr: str, charset: str = "utf-8") -> str:
    if not name:
        return f"<{addr}>" if False else addr
    if all(ord(c) < 128 for c in name):
        if re.search(r"[(),.:;<>@\[\]\"]", name):
            return f'"{name}" <{addr}>'
        return f"{name} <{addr}>"
    return f"{Header(name, _fits(name, charset), maxlinelen=998).encode(linesep=CRLF)} <{addr}>"


def _qp(text: str, charset: str) -> str:
    raw = text.replace("\r\n", "\n").encode(charset)
    enc = quopri.encodestring(raw).decode("ascii")
    return enc.replace("\n", CRLF)


def _b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii").replace("\n", CRLF)


def _text_part(
    text: str, charset: str, cte: str, subtype: str = "plain", flowed: bool = False
) -> str:
    ct = (
        f'text/{subtype}; charset="{charset}"'
        if subtype != "plain" or not flowed
        else f"text/plain; charset={charset}; format=flowed"
    )
    if cte == "quoted-printable":
        payload = _qp(text, charset)
    elif cte == "base64":
        payload = _b64(text.replace("\r\n", "\n").replace("\n", CRLF).encode(charset))
    else:  # 8bit
        lines = text.replace("\r\n", "\n").split("\n")
        if flowed:
            lines = [w for ln in lines for w in _flow(ln)]
        payload = CRLF.join(lines)
        if not payload.endswith(CRLF):
            payload += CRLF
    return f"Content-Type: {ct}{CRLF}Content-Transfer-Encoding: {cte}{CRLF}{CRLF}{payload}"


def _flow(line: str, width: int = 72) -> list[str]:
    """format=flowed: soft line breaks are a space before CRLF."""
    if len(line) <= width or line.startswith(">"):
        return [line]
    out, cur = [], ""
    for word in line.split(" "):
        if cur and len(cur) + 1 + len(word) > width:
            out.append(cur + " ")
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    out.append(cur)
    return out


def _html(text: str, client: str = "outlook") -> str:
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    blocks = [p.replace("\n", "<br>\n") for p in esc.split("\n\n")]
    if client == "outlook":
        paras = "\n".join(f"<p class=MsoNormal>{p}<o:p></o:p></p>" for p in blocks)
        return (
            '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            '<style>p.MsoNormal{margin:0cm;font-size:11.0pt;font-family:"Calibri",sans-serif;}</style>'
            f"</head><body lang=DE><div class=WordSection1>\n{paras}\n</div></body></html>"
        )
    if client == "apple":
        paras = "".join(f"<div>{p}</div><div><br></div>" for p in blocks)
        return (
            '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8">'
            "</head>"
            f'<body style="word-wrap: break-word;">{paras}</body></html>'
        )
    paras = "\n".join(f"<p>{p}</p>" for p in blocks)
    return (
        f'<html><head><meta charset="utf-8"></head><body style="font-family: Arial, sans-serif; '
        f'font-size: 10pt">\n{paras}\n</body></html>'
    )


def _param_2231(name: str, value: str) -> str:
    """``name*=utf-8''…`` (with RFC 2231 continuations for long values)."""
    enc = quote(value.encode("utf-8"), safe="!#$&+-.^_`|~")
    if len(enc) <= 60:
        return f"{name}*=utf-8''{enc}"
    chunks, cur = [], ""
    for m in re.finditer(r"%[0-9A-F]{2}|.", enc):
        if len(cur) + len(m.group()) > 50:
            chunks.append(cur)
            cur = ""
        cur += m.group()
    chunks.append(cur)
    parts = [f"{name}*0*=utf-8''{chunks[0]}"] + [
        f"{name}*{i}*={c}" for i, c in enumerate(chunks[1:], 1)
    ]
    return (";" + CRLF + "\t").join(parts)


def _attachment_part(att: Attachment, style: str) -> str:
    fn = att.filename
    ascii_name = all(ord(c) < 128 for c in fn)
    if ascii_name or style == "ascii":
        ct = f'{att.content_type}; name="{fn}"'
        cd = f'attachment; filename="{fn}"'
    elif style == "rfc2047":  # non-standard but common: an encoded word inside the quotes
        w = Header(fn, "utf-8", maxlinelen=998).encode()
        ct = f'{att.content_type}; name="{w}"'
        cd = f'attachment; filename="{w}"'
    else:  # RFC 2231
        ct = f"{att.content_type};{CRLF}\t{_param_2231('name', fn)}"
        cd = f"attachment;{CRLF}\t{_param_2231('filename', fn)}"
    extra = f"; size={len(att.data)}" if style == "rfc2231-size" else ""
    return (
        f"Content-Type: {ct}{CRLF}Content-Transfer-Encoding: base64{CRLF}"
        f"Content-Disposition: {cd}{extra}{CRLF}{CRLF}{_b64(att.data)}"
    )


# ----------------------------------------------------------------------------- assemble


def render(msg: Message) -> bytes:
    """Set ``msg.message_id`` and ``msg.raw`` (the .eml bytes, CRLF)."""
    rng = random.Random(f"mail:{msg.key}")
    domain = msg.sender.split("@", 1)[1]
    client = msg.client
    if not msg.message_id:
        msg.message_id = _message_id(client, rng, domain, msg.date)
    charset = "iso-8859-1" if client in ("outlook", "groupwise") and rng.random() < 0.2 else "utf-8"
    try:
        msg.body.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"
    cte = {
        "outlook": "quoted-printable",
        "thunderbird": "8bit",
        "groupwise": "quoted-printable",
        "roundcube": rng.choice(("8bit", "quoted-printable")),
        "notes": "base64",
        "apple": "quoted-printable",
        "ox": "quoted-printable",
    }[client]
    with_html = client in ("outlook", "groupwise", "apple", "notes") and rng.random() < 0.6
    name_style = {
        "outlook": rng.choice(("rfc2231", "rfc2231", "rfc2047")),
        "groupwise": "rfc2231",
        "thunderbird": "rfc2231",
        "roundcube": "rfc2231",
        "notes": rng.choice(("rfc2231", "rfc2047")),
        "apple": "rfc2231",
        "ox": "rfc2231-size",
    }[client]

    received_at = msg.date + dt.timedelta(seconds=rng.randint(2, 50))
    relay_ip = f"192.0.2.{rng.randint(10, 250)}"
    hdrs: list[tuple[str, str]] = [
        ("Return-Path", f"<{msg.sender}>"),
        ("Delivered-To", MAILBOX),
        (
            "Received",
            f"from mail.{domain} (mail.{domain} [{relay_ip}]){CRLF}"
            f"\tby {MX} (Postfix) with ESMTPS id "
            f"{_hex(rng, 11)}{CRLF}\tfor <{MAILBOX}>; {format_datetime(received_at)}",
        ),
        ("From", _addr(msg.sender_name, msg.sender, charset)),
        ("To", _addr(MAILBOX_NAME, MAILBOX)),
        ("Subject", _enc_header(msg.subject, charset) if msg.subject else ""),
        ("Date", format_datetime(msg.date)),
        ("Message-ID", msg.message_id),
    ]
    if msg.in_reply_to:
        hdrs.append(("In-Reply-To", msg.in_reply_to))
    if msg.references:
        hdrs.append(("References", " ".join(msg.references)))
    hdrs += [h for h in _client_headers(client, rng) if h[1]]
    hdrs.append(("MIME-Version", "1.0"))

    text = msg.body
    html_part = _text_part(_html(text, client), "utf-8", "quoted-printable", "html")
    if with_html:
        b_alt = _boundary(client, rng, 1)
        body_part = (
            f'Content-Type: multipart/alternative;{CRLF}\tboundary="{b_alt}"{CRLF}{CRLF}'
            f"--{b_alt}{CRLF}{_text_part(text, charset, cte)}{CRLF}"
            f"--{b_alt}{CRLF}{html_part}{CRLF}"
            f"--{b_alt}--{CRLF}"
        )
    else:
        body_part = _text_part(text, charset, cte, flowed=client == "thunderbird")

    if msg.attachments:
        b = _boundary(client, rng, 0)
        hdrs.append(("Content-Type", f'multipart/mixed;{CRLF}\tboundary="{b}"'))
        pre = (
            "This is a multi-part message in MIME format." + CRLF + CRLF
            if client in ("outlook", "thunderbird")
            else ""
        )
        parts = [body_part] + [_attachment_part(a, name_style) for a in msg.attachments]
        content = pre + "".join(f"--{b}{CRLF}{p}{CRLF}" for p in parts) + f"--{b}--{CRLF}"
    else:
        # single part: move the body's own headers up into the message header
        head, _, payload = body_part.partition(CRLF + CRLF)
        for line in re.split(r"\r\n(?![ \t])", head):
            k, _, v = line.partition(": ")
            hdrs.append((k, v))
        content = payload

    head = "".join(f"{k}: {v}{CRLF}" if v != "" else f"{k}:{CRLF}" for k, v in hdrs)
    msg.raw = (head + CRLF + content).encode(charset if cte == "8bit" else "ascii")
    return msg.raw


def message_row(msg: Message, file: str) -> dict:
    return {
        "message_file": file,
        "message_id": msg.message_id,
        "from": msg.sender,
        "subject": msg.subject,
        "date": msg.date.isoformat(),
        "attachments": [
            {
                "filename": a.filename,
                "sha256": hashlib.sha256(a.data).hexdigest(),
                "outcome": a.outcome,
                "sketch_id": a.sketch_id,
                "content_type": a.content_type,
                "size": len(a.data),
            }
            for a in msg.attachments
        ],
        "outcome": None if msg.attachments else "no_attachment",
        "size": len(msg.raw),
        "notes": msg.notes,
    }


# ----------------------------------------------------------------------------- wording


def aware(t: dt.datetime) -> dt.datetime:
    return t.replace(tzinfo=BERLIN) if t.tzinfo is None else t


def _display_name(addr: str, f: Facts) -> str:
    local = addr.split("@")[0]
    p = f.ansprechperson
    if p is not None and addr == f.email:
        return f"{p.first} {p.last}"
    m = re.fullmatch(r"([a-z]+)[.\-]([a-z]+(?:-[a-z]+)?)", local)
    if m and m.group(1) not in ("info", "poststelle", "rathaus", "verwaltung", "kreisverwaltung"):

        def cap(s):
            return "-".join(x.capitalize() for x in s.split("-"))

        first, last = cap(m.group(1)), cap(m.group(2))
        if p is not None and (first, last) == (
            _ascii(p.first).capitalize(),
            _ascii(p.last).capitalize(),
        ):
            return f"{p.first} {p.last}"
        return f"{first} {last}"
    body = _body(f)
    return rng_choice_stable(addr, (f"{body} - Poststelle", body, ""))


def rng_choice_stable(key: str, options):
    return options[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(options)]


def _ascii(s: str) -> str:
    for a, b in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("ß", "ss"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
    ):
        s = s.replace(a, b)
    return s


def _body(f: Facts) -> str:
    if f.koerperschaft_typ == "Landkreis":
        return f.landkreis_written
    return f"{f.body_word} {f.place}"


def _ascii_file(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", _ascii(s)).strip("_")


def filename_for(f: Facts, rng: random.Random, corrected: bool = False) -> str:
    place = f.place
    acro = f.akronym
    d = f.datum
    opts = [
        f"Projektskizze_Heimat2.0_{place.replace(' ', '_')}.pdf",
        f"Skizze Heimat 2.0 – {_body(f)}.pdf",
        f"Bewerbungsskizze {place} final.pdf",
        f"{d:%Y%m%d}_Projektskizze_{place.replace(' ', '-')}.pdf",
        f"Heimat20_Skizze_{_ascii_file(place)}.pdf",
        f"Projektskizze Förderaufruf Heimat 2.0 ({place}).pdf",
        f"Skizze_{_ascii_file(place)}_{d:%d.%m.%Y}.pdf",
        f"Modellvorhaben {place} – Skizze.pdf",
    ]
    if acro:
        opts += [f"Projektskizze_{acro}.pdf", f"{acro} – Projektskizze Heimat 2.0.pdf"]
    name = rng.choice(opts)
    if corrected:
        stem = name[:-4]
        name = (
            stem
            + rng.choice(
                ("_korrigiert", "_v2", " (überarbeitet)", "_neu", " – korrigierte Fassung")
            )
            + ".pdf"
        )
    return name


def subject_for(f: Facts, rng: random.Random) -> str:
    body = _body(f)
    opts = [
        f"Projektskizze Heimat 2.0 – {body}",
        f"Bewerbung Förderaufruf „Heimat 2.0“: {f.projekttitel}",
        f"Heimat 2.0 – Skizze {body}",
        f"Skizze Modellvorhaben {f.place}",
        f"Einreichung Projektskizze „{f.akronym or f.projekttitel}“",
        f"Förderaufruf Heimat 2.0 - Projektskizze der {body}"
        if f.body_word
        in (
            "Gemeinde",
            "Stadt",
            "Ortsgemeinde",
            "Samtgemeinde",
            "Verbandsgemeinde",
            "Einheitsgemeinde",
            "Hansestadt",
            "Marktgemeinde",
            "Verwaltungsgemeinschaft",
            "Kreisstadt",
        )
        else f"Förderaufruf Heimat 2.0 - Projektskizze {body}",
        f"Unsere Bewerbung für Heimat 2.0 ({f.place})",
        "Projektskizze Heimat 2.0",
    ]
    return rng.choice(opts)


_GREET = (
    "Sehr geehrte Damen und Herren,",
    "Sehr geehrte Damen und Herren,",
    "Guten Tag,",
    "Liebes Team des Förderaufrufs Heimat 2.0,",
    "Hallo zusammen,",
    "Sehr geehrtes Projektteam,",
)
_CLOSE = (
    "Mit freundlichen Grüßen",
    "Mit freundlichen Grüßen",
    "Freundliche Grüße",
    "Viele Grüße",
    "Beste Grüße aus {ort}",
    "Mit besten Grüßen",
)
_MAIN = (
    "anbei übersenden wir Ihnen fristgerecht unsere Projektskizze zum Förderaufruf „Heimat 2.0“.",
    "im Auftrag {of} reiche ich hiermit die Projektskizze „{title}“ ein.",
    "wie angekündigt erhalten Sie im Anhang unsere Bewerbungsskizze für das Modellvorhaben "
    "„{title}“.",
    "hiermit bewirbt sich {body} mit dem beigefügten Vorhaben um die Teilnahme an „Heimat 2.0“.",
    "gerne reichen wir unsere Skizze für den aktuellen Förderaufruf ein. "
    "Sie finden sie als PDF im Anhang.",
)
_EXTRA = (
    "Die unterschriebene Fassung geht Ihnen zusätzlich per Post zu.",
    "Für Rückfragen stehe ich Ihnen gern zur Verfügung.",
    "Bitte bestätigen Sie uns kurz den Eingang.",
    "Der Gemeinderat hat dem Vorhaben in seiner letzten Sitzung zugestimmt.",
    "Über eine positive Rückmeldung würden wir uns sehr freuen.",
    "",
)


_FEM = {
    "Gemeinde",
    "Ortsgemeinde",
    "Einheitsgemeinde",
    "Stadt",
    "Hansestadt",
    "Kreisstadt",
    "Marktgemeinde",
    "Verbandsgemeinde",
    "Samtgemeinde",
    "Verwaltungsgemeinschaft",
}


def _nom(f: Facts) -> str:
    """The body with its article: "die Gemeinde X", "das Amt X", "der Saalekreis"."""
    w = f.body_word
    if f.koerperschaft_typ == "Landkreis":
        return f"der {f.landkreis_written}"
    if w in _FEM:
        return f"die {_body(f)}"
    return f"{'das' if w == 'Amt' else 'der'} {_body(f)}"


def _of(f: Facts) -> str:
    """Genitive: "der Gemeinde X", "des Amtes X", "des Landkreises X", "des Saalekreises"."""
    w = f.body_word
    if f.koerperschaft_typ == "Landkreis":
        lw = f.landkreis_written
        for head in ("Landkreis ", "Kreis "):
            if lw.startswith(head):
                return f"des {head.strip()}es {lw[len(head) :]}"
        if " " in lw:  # "Altmarkkreis Salzwedel", "Eifelkreis Bitburg-Prüm"
            first, rest = lw.split(" ", 1)
            return f"des {first}es {rest}"
        return f"des {lw}es"
    if w in _FEM:
        return f"der {_body(f)}"
    return f"des {w}es {f.place}" if w in ("Amt", "Markt") else f"des {_body(f)}"


def signature(f: Facts, sender: str, name: str, rng: random.Random) -> str:
    lines = []
    person_is_contact = f.ansprechperson is not None and sender == f.email
    if name and not name.startswith(_body(f)):
        prefix = (
            rng.choice(("i. A. ", "", ""))
            if not f.funktion.startswith(("Bürgermeister", "Landr", "Amtsdir"))
            else ""
        )
        lines.append(prefix + name)
        if person_is_contact:
            lines.append(f.funktion)
        else:
            lines.append(
                rng.choice(
                    (
                        "Sachbearbeitung Fördermittel",
                        "Hauptamt",
                        "Sekretariat",
                        "Büro der Verwaltungsleitung",
                    )
                )
            )
    else:
        lines.append("Poststelle")
    lines.append("")
    lines.append(_body(f))
    lines.append(f.street)
    lines.append(f"{f.plz} {f.ort}")
    if f.telefon and rng.random() < 0.8:
        lines.append(f"Tel.: {f.telefon}")
    lines.append(f"E-Mail: {sender}")
    if rng.random() < 0.3:
        lines.append(f"www.{f.mail_domain}")
    return "\n".join(lines)


def body_for(f: Facts, sender: str, name: str, rng: random.Random, main: str | None = None) -> str:
    title = f.projekttitel
    greet = rng.choice(_GREET)
    main = main or rng.choice(_MAIN)
    main = main.format(of=_of(f), title=title, body=_nom(f))
    extra = rng.choice(_EXTRA)
    close = rng.choice(_CLOSE).format(ort=f.ort)
    parts = [greet, "", main]
    if extra:
        parts += ["", extra]
    parts += ["", close, "", signature(f, sender, name, rng)]
    if rng.random() < 0.25:
        parts += [
            "",
            "--",
            "Diese E-Mail kann vertrauliche Informationen enthalten. Wenn Sie nicht der "
            "richtige Adressat sind, informieren Sie bitte den Absender und "
            "löschen Sie diese Mail.",
        ]
    return "\n".join(parts) + "\n"


def quote_reply(original: Message) -> str:
    head = (
        f"Von: {original.sender_name or original.sender} <{original.sender}>\nGesendet: "
        f"{original.date:%d.%m.%Y %H:%M}\nAn: {MAILBOX_NAME} <{MAILBOX}>\n"
        f"Betreff: {original.subject}\n\n"
    )
    return "\n".join("> " + ln if ln else ">" for ln in (head + original.body).splitlines())


def sender_name(f: Facts, sender: str) -> str:
    return _display_name(sender, f)
