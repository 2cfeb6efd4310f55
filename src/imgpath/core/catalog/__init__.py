"""The program catalog's pure core: programs, claims about them, specialty evidence, fit."""
