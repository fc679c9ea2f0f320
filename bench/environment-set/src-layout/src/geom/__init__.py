from geom.shapes import Rect

__all__ = ["Rect"]
