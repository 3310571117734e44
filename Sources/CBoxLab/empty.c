#include "CBoxLab.h"
