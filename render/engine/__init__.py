"""The engine: the season's data and gradient descent on it, in numpy; nothing here draws.

- ``data``: a standings CSV loaded and validated (one clear line for anything wrong);
- ``descent``: descent on mean squared error, the closed form, and a run's verdict;
- ``history``: a run's recorded (m, b, loss) snapshots, and their CSV;
- ``problems``: the three fits the scenes draw and the runs recorded for each;
- ``lesson``: what every scene sees: the data in z-scores and the recorded runs.
"""
