"""The desk's behaviour, one controller per concern, each speaking to the window only through
an operator-view protocol (views/operator.py): playout, the show document (save, autosave,
recovery), the outputs. AppController (views/controller.py) composes them with the window."""
