"""The desk's behaviour, one controller per concern, each speaking to the window only through
an operator-view protocol (views/operator.py): playout, the show document (save, autosave,
recovery), the data, the outputs and the render host (themes, preview, thumbnails, program
monitors, export). AppController (views/controller.py) wires them to the window."""
