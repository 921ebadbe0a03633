"""Adversarial pressure beyond item rewrites: the harmful fine-tuning attack, request transforms and metric helpers.

Modules: :mod:`study.attacks.finetune` (the attack), :mod:`study.attacks.erosion_data`
(its dataset), :mod:`study.attacks.transforms` (rule-based request rewrites used by
jailbreak templates), :mod:`study.attacks.metrics` (ASR, retention, steerability,
erosion point figures from a per-item table). Nothing heavy is imported here.
"""
