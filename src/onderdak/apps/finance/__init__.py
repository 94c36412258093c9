"""Finance in the P&C cycle: standard rates, budget per task field, costs derived from the
programme, actuals, year-end forecast, the quarterly letter and the Iv3 figures (issue 13)."""
