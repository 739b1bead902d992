"""三标 (找标杆 提标准 见标志 看转化): indicators, benchmarks, standards, milestones, conversion."""
