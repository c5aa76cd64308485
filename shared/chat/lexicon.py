"""Small word lists the grammar and the typo corrector both read.

- ``VERBS``: the doing verbs a new task usually starts with ("buy", "call", "renew", ...);
- ``NOUN_VERBS``: those that are nouns or adjectives too, and so may be counted or may name a
  thing ("i need 2 water bottles", "the ad review"): they are read as verbs only before their
  object (``OBJECT_STARTS``);
- ``OBJECT_STARTS``: the words an object (or a verb's particle) starts with.
"""

from __future__ import annotations

__all__ = ["NOUN_VERBS", "OBJECT_STARTS", "VERBS"]

VERBS = frozenset(
    """
    buy call email e-mail text pay book pick clean fix write send submit prepare prep renew return
    water walk feed read study cook wash visit order get take bring review plan organize organise
    meet go learn practice practise file print sign mail post ship tidy vacuum mow iron fold bake
    research draft start ring phone message ask tell follow reply respond contact invite thank
    back install upgrade charge replace repair collect deliver sell donate recycle empty shop fetch
    exercise run jog stretch meditate watch listen edit proofread transfer deposit reserve confirm
    pack unpack see eat drink paint hang build assemble sort wrap ping dm arrange attend apply
    update check finish grab hoover dust mop sweep polish water refill top clear defrost
    backup download upload register enroll enrol sync test deploy merge fill count wish celebrate
    greet hire interview train teach pray grocery groceries laundry dishes homework shred
    """.split()
)
# Verbs of the lexicon that are nouns or adjectives too, and so may be counted: "i need 2 water
# bottles", "we have 2 clean towels".
NOUN_VERBS = frozenset(
    """
    water clean empty back top test order book ring text email e-mail call walk plan watch paint
    study shop sort file print mail post ship iron run jog stretch ping dm drink exercise return
    deposit transfer update check draft message phone practice practise wish train interview
    grocery groceries laundry dishes homework backup download upload merge count polish dust mop
    fill wrap charge repair research review visit cook wash feed meet pack sign start hang
    """.split()
)
OBJECT_STARTS = frozenset(
    """
    the a an my your his her our their its it them him me us this that these those some up out
    off back down in
    """.split()
)
