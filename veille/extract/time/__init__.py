"""The parts of the time-expression layer (see `veille.extract.timexes`).

`vocab` reads the French words of `resources/fr/time.yaml`; `grammar` finds
candidate expressions in folded text; `tense` splits sentences and reads their
tense cues; `calendar` does the date arithmetic; `resolve` turns an expression
into dates.
"""
