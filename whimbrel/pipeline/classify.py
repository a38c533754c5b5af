"""The trained event classifier: re-types or drops the lexicon's candidate events.

Placeholder interface until the model of issue #4 ships: ``load`` returns None when
no trained model is installed, and the lexicon's decisions stand.
"""
from __future__ import annotations


class EventClassifier:
    @classmethod
    def load(cls) -> "EventClassifier | None":
        return None

    def revise(self, sentence, mentions: list) -> list:
        return mentions
