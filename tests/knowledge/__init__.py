"""Tests of the knowledge modules: a package, so that module names such as test_actors
do not clash with the same names under tests/pipeline."""
