"""A stand-in for the New Relic agent, for offline tests only: it is not the agent.

It provides what the generated New Relic Dockerfile relies on: an importable `newrelic`
package and a `newrelic-admin run-program CMD ARGS...` console script that execs CMD.
"""
