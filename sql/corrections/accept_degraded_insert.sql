-- One `accept_degraded` entry of the corrections file.
INSERT INTO degraded_accepted (sha256, reason, who, source) VALUES ($sha256, $reason, $who, $source);
