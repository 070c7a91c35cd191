"""Timing feeds: what a timing system says, turned into the live race's messages.

Every feed sits behind one interface (`Feed`: start, close) and delivers into one `LiveRace`
(the race state, its errors and its health). Network feeds (`NetworkFeed`) read lines over UDP
or TCP and decode them with a `LineDecoder`: the Strapline JSON-lines protocol
(`JsonLinesDecoder`) or the FinishLynx scoreboard stream of the shipped script
(`LynxScoreboardDecoder`). `ManualTiming` is the operator's keys. Plain asyncio, no Qt.
"""
