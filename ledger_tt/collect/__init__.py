"""The collector: every leader's pushed ledger into one trustworthy dataset.

    urls     which remote URLs git may see
    mirror   bare mirrors in the cache: fetch (no checkout, hooks or submodules), snapshots, rewrites
    tree     reading a snapshot from the object store: ls-tree + one cat-file --batch
    cache    parsed files by blob id, so an unchanged file is never parsed twice
    collect  the run: fetch all in parallel, read, check, trust rules, late marks, counts
    output   the dataset (CSV, JSON Lines), the problems list, the per-leader status table
    demo     bare remotes built from the sample ledgers, collected period by period
"""
