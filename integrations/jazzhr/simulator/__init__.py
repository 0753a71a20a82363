"""A local stand-in for JazzHR API v1, served over real HTTP with fault injection.

It speaks the paths, response shapes and quirks of https://api.resumatorapi.com/v1,
keeps its state in memory and has a control API under /_simulator/ for tests.
It uses only the standard library and never imports Django.
"""

from __future__ import annotations

from integrations.jazzhr.simulator.demo import build_demo_account
from integrations.jazzhr.simulator.server import Simulator, start_simulator
from integrations.jazzhr.simulator.state import SimulatorStore

__all__ = ["Simulator", "SimulatorStore", "build_demo_account", "start_simulator"]
