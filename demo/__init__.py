"""Demo and load data: the demo calls, accounts and reviews (`seed_demo`) and the synthetic call for
load tests (`seed_load`). It builds on every app through their services and models; no production app
imports it."""
