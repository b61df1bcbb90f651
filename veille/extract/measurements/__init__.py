"""Figures: every number of an article that measures something, with its frame.

`extract_measurements(text, sentences, places, timexes, published, lang, view)` is a
pure function: the folded text, sentences and numbers come from the article view
(`veille.extract.view`, built from `text` and the parser's `sentences` when not
given), the places and time expressions from the layers upstream, the vocabulary
from the `figures.yaml` of the language bundle `lang` (French when None; built
once per bundle by `lexicon.figure_language`), the fallback exchange rates from
`resources/rates.yaml`. For

    "Les expéditions de Liaoning vers la Russie ont augmenté de 82,3 % au cours
     des neuf premiers mois, pour atteindre 42,64 milliards de yuans
     (5,83 milliards de dollars)."

it gives three measurements, all exports CN-LN -> RUS over the nine months: a
change of 82.3 %, a level of 42 640 000 000 CNY (usd 5 830 000 000) and its
dollar equivalent.

Conventions (tested in tests/test_measurements.py):

- A fall is a negative change: "recul de 5 %" -> value -5.0, relation change.
- An exchange rate "(1 $ = 7,3172 yuans)" is one measurement, metric
  exchange_rate, unit the quoted currency, value the rate; its "1 $" side is not
  emitted, and the rate converts the article's other amounts to dollars.
- `usd`, in order: the amount itself when in dollars; a dollar equivalent given
  next to it ("(5,83 milliards de dollars)", ", soit ..."); a rate stated in the
  article; the yearly average of rates.yaml for the figure's year (period end,
  period begin, then publication year); else None.
- `period`: the time expression governing the figure's clause, not a
  comparison baseline ("par rapport à l'année précédente", "plus qu'en 2024",
  "contre 3 % en 2022" for the figure before "contre"), nor the date of a report
  ("publiés vendredi") or of a signature ("un accord signé en mars" for an
  amount); else one elsewhere in the sentence; else, when the previous sentence
  of the same paragraph opens on a time expression ("En mars, ... . Un train
  transportant 55 conteneurs ..."), or names the same metric with no figure of
  its own ("Le commerce ... a battu un record en 2023. ... les échanges ont
  totalisé ..."), that one; else the period of the last figure of the same
  status that is not a baseline (the time the article's figures speak of),
  unless the clause is background ("avait permis"); else None. "d'ici 2030" for
  a yearly flow is the year 2030.
- A figure after "contre", "par rapport à", "après" (or the first of "passé de X
  à Y") is a baseline: it takes the relation, metric and places of the figure it
  is compared with, and its own period and status (actual unless said).
- A figure restated by a demonstrative ("ce montant représente 21 490 milliards
  de roubles", "ces quelque 218 milliards de dollars") takes the frame of the
  figure it restates.
- Physical flows per year keep the plain unit of the format: "50 milliards de
  mètres cubes par an" -> 5e10 "m3".
- A bare number takes the unit of a figure of its sentence it is listed or
  compared with ("contre 11 en 2024", "devant Chery (105 600)", "160 appareils :
  150 de la famille A320", "une quinzaine d'autres"); a count may be of things
  known by a model name ("deux Tu-95MS").
- Once the events are read, a figure in the sentence of an act that directs it takes
  the act's parties for the sides the sentence left out (`acts.direct_by_acts`): a sum
  demanded of a state comes from it, a duty on a state's goods goes from it to the
  state levying it, aid goes from the giver.
- Sentences are taken as given, trimmed, cut at line breaks (a paragraph never
  continues a sentence) and at a full stop the parser missed ("... Su-35S. Selon
  ..."), and mended where a parser cut inside a compound or after a number
  ("machines-" / "-outils", "240,11" / "Mds $"); with no sentences, a crude
  splitter is used.
- Not figures: dates, years, times, ordinals, model and summit names (G20,
  COP28, A320, S-400), article numbers, ages and durations, and any bare number
  with no unit and no counted noun.
"""
from veille.extract.measurements.framing import extract_measurements

__all__ = ["extract_measurements"]
