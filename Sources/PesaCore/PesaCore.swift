// PesaCore: the domain's pure types and rules. No I/O, no clock, no randomness.
