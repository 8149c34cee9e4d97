"""Progress on an issued plan: progress files (`进展` / `记录` blocks) read by the model builder, the PL6xx checks,
`planlang status` (where a plan stands) and `planlang track` (the 推进情况表 round trip)."""
