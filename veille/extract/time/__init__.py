"""The parts of the time-expression layer (see `veille.extract.timexes`).

`vocab` reads the words of a language bundle's `time.yaml` (French:
`resources/fr/time.yaml`); `grammar` finds candidate expressions in folded
text; `tense` splits sentences and reads their tense cues; `calendar` does the
date arithmetic; `resolve` turns an expression into dates. Each is built once
per bundle (`Language.cached`).
"""
