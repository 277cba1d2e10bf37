"""A small synthetic study: four codes the codebook describes only vaguely (a description
and one keyword), and transcripts whose participant turns each talk about one of them.

The keywords mislead, as keywords do: talk about one topic often uses the next topic's keyword
in passing ("the tour budget"), so the codebook alone gets many turns wrong and the
researcher's coding has something to teach."""

from __future__ import annotations

import random
from pathlib import Path

TOPICS = {
    "Money": (
        "What we spend and earn",
        (
            "budget invoice royalties pressing costs accountant overdraft fee payment margins "
            "cashflow advance recoup loan bank statement"
        ).split(),
    ),
    "Touring": (
        "Life on the road",
        (
            "van venue gig setlist soundcheck motorway promoter rider backline hotel festival "
            "load-in merch encore"
        ).split(),
    ),
    "Family": (
        "People at home",
        (
            "mum dad kids sister brother grandmother wedding cousin nephew childcare babysitter "
            "birthday husband wife"
        ).split(),
    ),
    "Technology": (
        "Tools and gadgets",
        (
            "laptop software plugin server spreadsheet database app smartphone firmware backup "
            "password router website"
        ).split(),
    ),
}
FILLER = (
    "so we really just think it was kind of the thing that happened and then "
    "honestly you know every week there is something"
).split()
DECOY_RATE = 0.6  # how often a sentence uses the next topic's keyword
QUESTIONS = [
    "Can you tell me more about that?",
    "How did that work for you?",
    "What happened next?",
    "Why do you think so?",
]


def topic_sentence(rng: random.Random, words: list[str], decoy: str | None = None) -> str:
    picked = [rng.choice(words) for _ in range(4)] + [rng.choice(FILLER) for _ in range(6)]
    if decoy is not None and rng.random() < DECOY_RATE:
        picked.append(decoy)
    rng.shuffle(picked)
    return (" ".join(picked)).capitalize() + "."


def write_synthetic(folder: Path, people: int = 10, turns: int = 8, seed: int = 3) -> list[Path]:
    """`people` transcripts; each participant turn is about one topic (its gold code)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    names = list(TOPICS)
    for p in range(people):
        lines = []
        for t in range(turns):
            topic = names[(p + t) % len(names)]
            decoy = TOPICS[names[(p + t + 1) % len(names)]][1][0]
            lines.append(f"Interviewer: {rng.choice(QUESTIONS)}")
            body = " ".join(topic_sentence(rng, list(TOPICS[topic][1]), decoy) for _ in range(2))
            lines.append(f"Participant: {body}")
        path = folder / f"person_{p:02d}.txt"
        path.write_text("\n\n".join(lines) + "\n", "utf-8")
        paths.append(path)
    return paths
