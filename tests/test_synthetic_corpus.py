"""A second gold folder, written apart from the dev corpus by other hands: notices of other
agencies of the province (Sở, huyện, xã, hospitals, companies) in other wordings. It checks
that the rules generalize beyond the dev files; its bounds are the design targets."""
from pathlib import Path

from extractors import extract
from extractors.evaluate import evaluate, report
from pipeline.cli import TARGETS

SYNTH = Path(__file__).parent / "fixtures" / "synth"


def test_synthetic_corpus_meets_the_design_targets():
    ev = evaluate(SYNTH, lambda text, published: extract(text, published).to_dict())
    assert ev.files == 44
    assert ev.bounds_met(TARGETS) == [], report(ev, verbose=True)
