"""Every agency fixture read field by field: headline, byline, slugline, take key, notes,
dateline, times and the paragraph structure, as the agency's conventions mean them.

Read on 12 January 2027: a yearless dateline must take its year from the copy's own trailer or
Date header, never from the day of ingest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from syndicate import formats
from syndicate.formats import newsmlg2

FIXTURES = Path(__file__).parent / "fixtures"
INGEST = dt.datetime(2027, 1, 12, 9, tzinfo=dt.UTC)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Expect:
    fixture: str
    headline: str
    byline: str | None
    slugline: str | None
    take_key: str | None
    notes: tuple[str, ...]
    #: (city as written, date)
    dateline: tuple[str, date | None] | None
    first_created: dt.datetime | None
    version_created: dt.datetime | None
    #: (block kind, the block's first characters), one per block
    paragraphs: tuple[tuple[str, str], ...]


EXPECTED = [
    # ---- anpa
    Expect('anpa/ap-al-standings-spaces.txt',
           headline='AL Standings',
           byline='By The Associated Press',
           slugline='BC-BBO--AL-Standings', take_key=None,
           notes=(),
           dateline=None,
           first_created=None, version_created=utc(2026, 9, 29, 3, 47),
           paragraphs=(
               ('p', 'All Times EDT'),
               ('p', 'EAST DIVISION'),
               ('pre', '                   W    '),
               ('p', 'CENTRAL DIVISION'),
               ('pre', '                   W    '),
               ('p', "Sunday's Games"),
               ('p', 'N.Y. Yankees 5, Baltimor'),
               ('p', 'Toronto 2, Boston 1'),
           )),
    Expect('anpa/ap-alert-2nd-ld.txt',
           headline='Police: 3 dead in shooting at Denver mall',
           byline=None,
           slugline='BC-Shooting', take_key='2nd Ld-Writethru',
           notes=(
               'UPDATES with police news conference. With AP Photos.',
               "A previous version misspelled the police chief's name.",
           ),
           dateline=('DENVER', date(2026, 11, 29)),
           first_created=None, version_created=utc(2026, 11, 29, 23, 42),
           paragraphs=(
               ('p', 'Three people were killed'),
               ('p', 'Police Chief Ron Thomas '),
           )),
    Expect('anpa/ap-bulletin-no-headline.txt',
           headline=('A strong earthquake with a preliminary magnitude of 6.8 shook central Japan on '
                     'Monday, the Japan Meteorological Agency said.'),
           byline=None,
           slugline='BC-Japan-Quake', take_key='Bulletin',
           notes=(),
           dateline=('TOKYO', date(2026, 11, 30)),
           first_created=None, version_created=utc(2026, 11, 30, 9, 12),
           paragraphs=(
               ('p', 'A strong earthquake with'),
           )),
    Expect('anpa/ap-bulletin-quake.txt',
           headline='Strong earthquake shakes central Japan',
           byline=None,
           slugline='BC-Quake', take_key='Bulletin',
           notes=(),
           dateline=('TOKYO', date(2026, 11, 30)),
           first_created=None, version_created=utc(2026, 11, 30, 9, 12),
           paragraphs=(
               ('p', 'A strong earthquake with'),
           )),
    Expect('anpa/ap-election-ohio-table.txt',
           headline='Ohio governor results',
           byline=None,
           slugline='BC-Election-Results-Ohio', take_key=None,
           notes=(
               'Updates with 92 percent of precincts reporting.',
           ),
           dateline=('COLUMBUS', date(2026, 11, 4)),
           first_created=None, version_created=utc(2026, 11, 4, 5, 15),
           paragraphs=(
               ('p', 'Unofficial returns in th'),
               ('pre', 'Candidate              P'),
               ('p', 'The AP declared Smith th'),
           )),
    Expect('anpa/ap-eu-climate-wrapped.txt',
           headline='EU leaders agree to deeper emissions cuts',
           byline='By LORNE COOK\nAssociated Press',
           slugline='BC-EU-Climate-Summit', take_key=None,
           notes=(),
           dateline=('BRUSSELS', date(2026, 11, 27)),
           first_created=None, version_created=utc(2026, 11, 27, 8, 12),
           paragraphs=(
               ('p', 'European Union leaders a'),
               ('p', '``This is a historic day'),
               ('p', 'Poland and Hungary had s'),
           )),
    Expect('anpa/ap-nhl-glance.txt',
           headline='NHL Glance',
           byline='By The Associated Press',
           slugline='BC-HKN-NHL-Glance', take_key=None,
           notes=(),
           dateline=None,
           first_created=None, version_created=utc(2026, 11, 30, 6, 5),
           paragraphs=(
               ('p', 'All Times EST'),
               ('p', 'Eastern Conference'),
               ('pre', '\tGP\tW\tL\tOT\tPts\tGF\tGA\nBos'),
               ('p', "Sunday's Games"),
               ('p', 'Boston 4, Toronto 2'),
           )),
    Expect('anpa/ap-senate-budget-1st-ld.txt',
           headline='Senate passes stopgap budget; president to sign',
           byline='By JANE DOE and JOHN ROE\nAssociated Press Writers',
           slugline='BC-Senate-Budget', take_key='1st Ld-Writethru',
           notes=(
               'UPDATES with White House statement in 3rd graf. Trims.',
           ),
           dateline=('WASHINGTON', date(2026, 11, 30)),
           first_created=None, version_created=utc(2026, 11, 30, 15, 15),
           paragraphs=(
               ('p', 'The Senate voted late Su'),
               ('p', 'The measure passed 71-27'),
               ('p', 'The White House said the'),
           )),
    Expect('anpa/ap-senate-budget.txt',
           headline='Senate passes stopgap budget hours before shutdown deadline',
           byline='By JANE DOE\nAssociated Press Writer',
           slugline='BC-Senate-Budget', take_key=None,
           notes=(
               'Moving on general news and financial services.',
           ),
           dateline=('WASHINGTON', date(2026, 11, 29)),
           first_created=None, version_created=utc(2026, 11, 30, 4, 15),
           paragraphs=(
               ('p', 'The Senate voted late Su'),
               ('p', 'The measure passed 71-27'),
               ('p', "``We have done our job,'"),
               ('p', 'The House approved the b'),
           )),
    Expect('anpa/ap-wire-framing-2nd-ld.txt',
           headline='Wildfire forces thousands to flee in Southern California',
           byline='By JULIE WATSON and AMY TAXIN\nAssociated Press',
           slugline='BC-US--Wildfire-California', take_key='2ndLd-Writethru',
           notes=(
               'AP Photo CAJB101, CAJB102, CAJB103',
               'UPDATES with evacuation figures, quotes from fire chief. With AP Photos.',
           ),
           dateline=('VENTURA', date(2026, 11, 29)),
           first_created=None, version_created=utc(2026, 11, 29, 22, 12),
           paragraphs=(
               ('p', 'A fast-moving wildfire d'),
               ('p', 'The fire had burned abou'),
               ('p', '``The wind is our enemy '),
               ('p', 'Associated Press writer '),
           )),
    Expect('anpa/ap-wire-framing-agate-semicolons.txt',
           headline='NFL Expanded Standings',
           byline='By The Associated Press',
           slugline='BC-FBN--NFLExpandedGlanc', take_key=None,
           notes=(
               'Updates with Sunday night game.',
           ),
           dateline=None,
           first_created=None, version_created=utc(2026, 11, 30, 6, 45),
           paragraphs=(
               ('p', 'All Times EST'),
               ('p', 'AMERICAN CONFERENCE'),
               ('p', 'East'),
               ('pre', ';W;L;T;Pct;PF;PA;Home;Aw'),
               ('p', 'North'),
               ('pre', ';W;L;T;Pct;PF;PA;Home;Aw'),
               ('p', "Sunday's Games"),
               ('p', 'Buffalo 24, Miami 17'),
               ('p', 'Baltimore 20, Pittsburgh'),
           )),
    Expect('anpa/ap-wire-framing-tabular.txt',
           headline='NHL Standings',
           byline='By The Associated Press',
           slugline='BC-HKN--NHL-Standings', take_key=None,
           notes=(),
           dateline=None,
           first_created=None, version_created=utc(2026, 11, 30, 6, 5),
           paragraphs=(
               ('pre', '\t   All Times EST\n\t   EA'),
           )),
# ---- iptc7901
    # ---- iptc7901
    Expect('iptc7901/afp-7901-en-lower-by-lead.txt',
           headline='US adds 180,000 jobs in November as hiring holds up',
           byline='by Daniel ROBERTS',
           slugline='US-economy-jobs', take_key='3RD LEAD',
           notes=(),
           dateline=('WASHINGTON', date(2026, 12, 4)),
           first_created=None, version_created=utc(2026, 12, 4, 15, 45),
           paragraphs=(
               ('p', 'The US economy added 180'),
               ('p', 'The unemployment rate he'),
           )),
    Expect('iptc7901/afp-7901-fr-urgent-yearless.txt',
           headline='Le Premier ministre annonce sa démission',
           byline='Par Claire DUPONT',
           slugline='France-politique-gouvernement', take_key='URGENT',
           notes=(),
           dateline=('PARIS', date(2026, 12, 29)),
           first_created=None, version_created=utc(2026, 12, 29, 10, 15),
           paragraphs=(
               ('p', 'Le Premier ministre a an'),
               ('p', "Le chef de l'Etat doit s"),
           )),
    Expect('iptc7901/afp-7901-geneva.txt',
           headline='UN rights council opens session on humanitarian access',
           byline=None,
           slugline='Switzerland-UN-diplomacy', take_key=None,
           notes=(),
           dateline=('GENEVA', date(2026, 11, 25)),
           first_created=None, version_created=utc(2026, 11, 25, 12, 30),
           paragraphs=(
               ('p', 'The UN Human Rights Coun'),
               ('p', 'The session is expected '),
           )),
    Expect('iptc7901/afp-7901-refile-dec.txt',
           headline='Le gouvernement présente un budget rectificatif',
           byline='Par Jean DUPONT',
           slugline='France-économie-budget', take_key='REFILE',
           notes=(
               'Copyright AFP 2026. Tous droits réservés.',
           ),
           dateline=('PARIS', date(2026, 12, 4)),
           first_created=None, version_created=utc(2026, 12, 4, 12, 15),
           paragraphs=(
               ('p', 'Le gouvernement français'),
               ('p', 'Le texte sera examiné pa'),
           )),
    Expect('iptc7901/ansa-7901-di-byline-borsa.txt',
           headline='Borsa: Milano chiude in rialzo, bene le banche',
           byline='di Paolo Bianchi',
           slugline='BORSA-MILANO', take_key=None,
           notes=(
               '(ANSA).',
           ),
           dateline=('MILANO', date(2026, 11, 27)),
           first_created=None, version_created=utc(2026, 11, 27, 17, 45),
           paragraphs=(
               ('p', 'Piazza Affari chiude in '),
               ('pre', 'Ftse Mib          34.512'),
               ('p', 'Lo spread tra Btp e Bund'),
           )),
    Expect('iptc7901/ansa-7901-ripetizione.txt',
           headline='Scala: prima della stagione con Verdi',
           byline=None,
           slugline='CULTURA-SCALA', take_key='RIPETIZIONE',
           notes=(
               '(ANSA).',
           ),
           dateline=('MILANO', date(2026, 12, 7)),
           first_created=None, version_created=utc(2026, 12, 7, 23, 30),
           paragraphs=(
               ('p', 'La Scala di Milano apre '),
               ('p', 'Applausi per il direttor'),
           )),
    Expect('iptc7901/ansa-7901-urgente-dic.txt',
           headline='Governo, fiducia alla Camera sulla manovra',
           byline=None,
           slugline='ITALIA-GOVERNO', take_key='URGENTE',
           notes=(
               '(ANSA).',
           ),
           dateline=('ROMA', date(2026, 12, 3)),
           first_created=None, version_created=utc(2026, 12, 3, 11, 10),
           paragraphs=(
               ('p', 'Il governo ha posto la q'),
               ('p', 'Il voto è previsto per d'),
           )),
    Expect('iptc7901/ansa-7901-wrapped-nnnn.txt',
           headline='Bollette: via libera del Cdm al decreto, taglio degli oneri',
           byline=None,
           slugline='ECONOMIA-BOLLETTE', take_key=None,
           notes=(
               '(ANSA).',
           ),
           dateline=('ROMA', date(2026, 11, 30)),
           first_created=None, version_created=utc(2026, 11, 30, 21, 47),
           paragraphs=(
               ('p', 'Il Consiglio dei ministr'),
               ('p', 'Lo ha annunciato il mini'),
               ('p', 'Le opposizioni hanno chi'),
           )),
    Expect('iptc7901/dpa-7901-bundesliga-table.txt',
           headline='Bayern baut Tabellenführung aus',
           byline=None,
           slugline='Fußball/Bundesliga/Tabelle', take_key=None,
           notes=(),
           dateline=('München', date(2026, 11, 29)),
           first_created=None, version_created=utc(2026, 11, 29, 18, 30),
           paragraphs=(
               ('p', 'Der FC Bayern München ha'),
               ('pre', 'Bayern München    - Boru'),
               ('p', 'Tabelle:'),
               ('pre', '1. Bayern München       '),
           )),
    Expect('iptc7901/dpa-7901-contact-okt.txt',
           headline='Bundestag beschließt Haushalt für 2027',
           byline=None,
           slugline='Bundestag/Haushalt', take_key='1. Zusammenfassung',
           notes=(
               'dpa-Kontakt\n'
               'Redaktion: Anna Beispiel, +49 30 2852 0000\n'
               'Rückfragen an: politik@dpa.example',
           ),
           dateline=('Berlin', date(2026, 10, 24)),
           first_created=None, version_created=utc(2026, 10, 24, 15, 30),
           paragraphs=(
               ('p', 'Der Bundestag hat am Fre'),
               ('p', 'Die Opposition kritisier'),
           )),
    Expect('iptc7901/dpa-7901-eil-signoff-in-text.txt',
           headline='EZB senkt Leitzins auf 1,75 Prozent',
           byline=None,
           slugline='Konjunktur/EZB/Zinsen', take_key='EILMELDUNG',
           notes=(),
           dateline=('Frankfurt/Main', date(2026, 12, 17)),
           first_created=None, version_created=utc(2026, 12, 17, 14, 15),
           paragraphs=(
               ('p', 'Die Europäische Zentralb'),
           )),
    Expect('iptc7901/dpa-7901-english-notebook.txt',
           headline='Berlin zoo welcomes first panda twins born in Germany',
           byline='By Anna Beispiel, dpa',
           slugline='Germany/Animals/Zoo', take_key=None,
           notes=(
               '# Notebook\n'
               '## Internet\n'
               '- [Berlin Zoo](https://www.zoo-berlin.example)\n'
               '* * * *\n'
               'The following information is not intended for publication\n'
               '## Editorial contacts\n'
               '- Reporting by: Anna Beispiel\n'
               '- Editing by: Tom Roe\n'
               '- Tel: +49-30-0000000; <international@dpa.example>',
           ),
           dateline=('Berlin', date(2026, 11, 30)),
           first_created=None, version_created=utc(2026, 11, 30, 10, 15),
           paragraphs=(
               ('p', 'Berlin Zoo on Monday pre'),
               ('p', 'The two cubs, each weigh'),
               ('p', 'Their mother, Meng Meng,'),
           )),
    Expect('iptc7901/dpa-7901-english-refile-lead.txt',
           headline='Austrian parliament backs new climate law after all-night debate',
           byline='By dpa correspondents',
           slugline='Austria/climate/parliament', take_key='REFILE 2ND LEAD',
           notes=(
               '# Notebook\n'
               '## Refile\n'
               "- corrects spelling of minister's name in 2nd graf\n"
               '* * * *\n'
               'The following information is not intended for publication\n'
               '## Editorial contacts\n'
               '- Reporting by: Anna Beispiel in Vienna\n'
               '- Editing by: Tom Roe, +49 30 0000 0000, <international@dpa.example>',
           ),
           dateline=('Vienna', date(2026, 12, 29)),
           first_created=None, version_created=utc(2026, 12, 29, 22, 45),
           paragraphs=(
               ('p', "Austria's parliament on "),
               ('p', 'The law was backed by th'),
               ('p', 'Environmental groups wel'),
           )),
    Expect('iptc7901/dpa-7901-latin1.txt',
           headline='Ifo-Index steigt überraschend',
           byline=None,
           slugline='Konjunktur/Deutschland', take_key=None,
           notes=(),
           dateline=('München', date(2026, 11, 24)),
           first_created=None, version_created=utc(2026, 11, 24, 10, 30),
           paragraphs=(
               ('p', 'Die Stimmung in der deut'),
               ('p', 'Volkswirte hatten mit ei'),
           )),
    Expect('iptc7901/dpa-7901-neufassung-notizblock.txt',
           headline='Bundestag stimmt für Rentenpaket',
           byline='Von Anna Beispiel, dpa',
           slugline='Bundestag/Rente', take_key='2. Neufassung',
           notes=(
               'Notizblock\n'
               'Internet\n'
               '- Bundestag: http://www.bundestag.example/rente\n'
               '* * * *\n'
               'Die folgenden Informationen sind nicht zur Veröffentlichung bestimmt\n'
               'dpa-Kontakt\n'
               '- Autorin: Anna Beispiel (Berlin), +49 30 2852 0000',
           ),
           dateline=('Berlin', date(2026, 12, 29)),
           first_created=None, version_created=utc(2026, 12, 29, 10, 15),
           paragraphs=(
               ('p', 'Der Bundestag hat das um'),
               ('p', 'Die Opposition kündigte '),
           )),
    Expect('iptc7901/dpa-7901-service.txt',
           headline='Service message (Dienstmeldung)',
           byline=None,
           slugline='Dienstmeldung', take_key=None,
           notes=(),
           dateline=None,
           first_created=None, version_created=utc(2026, 11, 30, 4, 0),
           paragraphs=(
               ('p', 'TEST TEST'),
               ('p', 'Dies ist eine Testmeldun'),
               ('p', 'Ende des Dienstes'),
           )),
    Expect('iptc7901/efe-7901-ampliacion-yearless.txt',
           headline='El Gobierno aprueba el plan estatal de vivienda',
           byline=None,
           slugline='España-Vivienda', take_key='AMPLIACIÓN',
           notes=(),
           dateline=('MADRID', date(2026, 12, 3)),
           first_created=None, version_created=utc(2026, 12, 3, 10, 15),
           paragraphs=(
               ('p', 'El Consejo de Ministros '),
               ('p', 'La ministra de Vivienda '),
           )),
    Expect('iptc7901/efe-7901-byline-por.txt',
           headline='La cumbre del clima cierra sin acuerdo sobre financiación',
           byline='Por Carlos Ruiz',
           slugline='Clima-COP', take_key=None,
           notes=(),
           dateline=('Belém', date(2026, 11, 22)),
           first_created=None, version_created=utc(2026, 11, 22, 21, 45),
           paragraphs=(
               ('p', 'La cumbre del clima de l'),
               ('p', 'Las delegaciones volverá'),
           )),
    Expect('iptc7901/efe-7901-latam-urgente.txt',
           headline='Argentina anuncia un acuerdo con el FMI',
           byline='Por María López',
           slugline='Argentina-Economía', take_key='URGENTE',
           notes=(),
           dateline=('Buenos Aires', date(2026, 11, 29)),
           first_created=None, version_created=utc(2026, 11, 29, 21, 40),
           paragraphs=(
               ('p', 'El Gobierno argentino an'),
               ('p', 'El ministro de Economía '),
           )),
    # ---- email
    Expect('email/alternative_qp_latin1.eml',
           headline='Kabinett beschließt Förderung für Wärmepumpen',
           byline='Jürgen Müller',
           slugline=None, take_key=None,
           notes=(),
           dateline=('BERLIN', date(2026, 3, 3)),
           first_created=utc(2026, 3, 3, 13, 5), version_created=utc(2026, 3, 3, 13, 5),
           paragraphs=(
               ('p', 'Die Bundesregierung hat '),
               ('p', 'Nach Angaben des Ministe'),
           )),
    Expect('email/form_html_only.eml',
           headline="Volcano erupts on Iceland's Reykjanes peninsula",
           byline='Gudrun Olafsdottir',
           slugline='Iceland-Volcano', take_key=None,
           notes=(
               'Adds evacuation of Grindavik.',
           ),
           dateline=('REYKJAVIK', date(2026, 11, 30)),
           first_created=utc(2026, 11, 30, 4, 12), version_created=utc(2026, 11, 30, 4, 12),
           paragraphs=(
               ('p', 'A volcano erupted on Ice'),
               ('p', 'Authorities evacuated th'),
           )),
    Expect('email/form_rotterdam.eml',
           headline='Dockworkers shut Rotterdam container terminals',
           byline='By Maria Jansen',
           slugline='Netherlands-Port-Strike', take_key=None,
           notes=(
               'Corrects the name of the union in the third paragraph.',
           ),
           dateline=('ROTTERDAM', date(2026, 11, 29)),
           first_created=utc(2026, 11, 29, 17, 42, 10), version_created=utc(2026, 11, 29, 17, 42, 10),
           paragraphs=(
               ('p', 'Dockworkers at the port '),
               ('p', 'The FNV Havens union sai'),
               ('p', 'Text: operators said the'),
           )),
    Expect('email/forwarded_inline_gmail.eml',
           headline='Hamburg port workers end strike',
           byline='Lena Fischer',
           slugline=None, take_key=None,
           notes=(),
           dateline=('HAMBURG', date(2026, 11, 28)),
           first_created=utc(2026, 11, 28, 21, 14), version_created=utc(2026, 11, 28, 21, 14),
           paragraphs=(
               ('p', 'Port workers in Hamburg '),
               ('p', 'The agreement raises wag'),
           )),
    Expect('email/forwarded_rfc822.eml',
           headline='Port strike ends in Antwerp',
           byline='Pieter Janssens',
           slugline=None, take_key=None,
           notes=(),
           dateline=('ANTWERP', date(2026, 3, 11)),
           first_created=utc(2026, 3, 11, 18, 45), version_created=utc(2026, 3, 11, 18, 45),
           paragraphs=(
               ('p', 'Dock workers at Antwerp '),
               ('p', 'Ships that had waited at'),
           )),
    Expect('email/html_only_base64.eml',
           headline='Kenya central bank holds rate at 10.75 percent',
           byline='Tom Otieno',
           slugline=None, take_key=None,
           notes=(),
           dateline=('NAIROBI', date(2026, 2, 10)),
           first_created=utc(2026, 2, 10, 9, 30), version_created=utc(2026, 2, 10, 9, 30),
           paragraphs=(
               ('p', "Kenya's central bank hel"),
               ('p', "The bank's monetary poli"),
               ('li', 'Inflation: 4.5 percent'),
               ('li', 'Growth forecast: 5.2 per'),
           )),
    Expect('email/russian_cp1251.eml',
           headline='Правительство одобрило программу строительства школ',
           byline='Иван Петров',
           slugline=None, take_key=None,
           notes=(),
           dateline=('МОСКВА', date(2026, 3, 5)),
           first_created=utc(2026, 3, 5, 7, 15), version_created=utc(2026, 3, 5, 7, 15),
           paragraphs=(
               ('p', 'Правительство России одо'),
               ('p', 'По данным ведомства, в б'),
           )),
    Expect('email/russian_koi8r.eml',
           headline='Снегопад парализовал Екатеринбург',
           byline='Иван Петров',
           slugline=None, take_key=None,
           notes=(),
           dateline=('ЕКАТЕРИНБУРГ', date(2026, 11, 29)),
           first_created=utc(2026, 11, 29, 9, 5), version_created=utc(2026, 11, 29, 9, 5),
           paragraphs=(
               ('p', 'Сильный снегопад парализ'),
               ('p', 'Коммунальные службы выве'),
               ('p', 'По прогнозу синоптиков, '),
           )),
    Expect('email/stringer_plain_utf8.eml',
           headline='Flood waters recede in Valparaíso hills',
           byline='Maria Lopez',
           slugline=None, take_key=None,
           notes=(),
           dateline=('VALPARAISO', date(2015, 2, 18)),
           first_created=utc(2015, 2, 19, 6, 18, 43), version_created=utc(2015, 2, 19, 6, 18, 43),
           paragraphs=(
               ('p', 'Flood waters began to re'),
               ('p', 'Emergency crews cleared '),
               ('p', '"We have never seen this'),
           )),
]


def read(expect: Expect):
    ctx = formats.ParseContext(now=INGEST, email_form=Path(expect.fixture).name.startswith("form"))
    (item,) = formats.parse((FIXTURES / expect.fixture).read_bytes(), "auto", ctx).items
    return item


@pytest.mark.parametrize("expect", EXPECTED, ids=[e.fixture for e in EXPECTED])
def test_the_fixture_reads_as_its_agency_means_it(expect: Expect) -> None:
    item = read(expect)
    assert item.headline == expect.headline
    assert (item.byline, item.slugline, item.take_key) == (expect.byline, expect.slugline, expect.take_key)
    assert tuple(n.text for n in item.notes) == expect.notes
    assert ((item.dateline.city, item.dateline.date) if item.dateline else None) == expect.dateline
    assert (item.first_created, item.version_created) == (expect.first_created, expect.version_created)
    assert tuple((b.kind.value, b.text[: len(prefix)]) for b, (_, prefix) in
                 zip(item.body, expect.paragraphs, strict=False)) == expect.paragraphs
    assert len(item.body) == len(expect.paragraphs)


def test_each_agency_style_has_at_least_three_fixtures() -> None:
    styles = {"ap-": 3, "dpa-": 3, "afp-": 3, "ansa-": 3, "efe-": 3}
    names = [Path(e.fixture).name for e in EXPECTED]
    counts = {s: sum(n.startswith(s) for n in names) for s in styles}
    assert all(counts[s] >= k for s, k in styles.items()), counts
    assert sum(e.fixture.startswith("email/") for e in EXPECTED) >= 6


@pytest.mark.parametrize("expect", EXPECTED, ids=[e.fixture for e in EXPECTED])
def test_the_fixture_renders_as_valid_newsml_g2(expect: Expect, assert_valid_g2) -> None:
    assert_valid_g2(newsmlg2.render(read(expect)))
